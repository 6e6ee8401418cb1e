package dev.sigil.bpf.loader;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LogBuffer;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.MapType;
import dev.sigil.bpf.sys.ProgLoadRequest;
import dev.sigil.bpf.sys.ProgLoadRetry;
import dev.sigil.bpf.sys.ProgRunResult;
import dev.sigil.bpf.sys.ProgramLoadException;
import dev.sigil.bpf.sys.ProgramSignature;
import dev.sigil.bpf.sys.ProgramType;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.sys.SyscallException;
import dev.sigil.signing.LoaderHashV1;
import dev.sigil.signing.Sha256;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.VerifiedBundle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Runs a verified bundle through protocol LoaderHashV1 on the kernel (DESIGN.md §2, "Loading on a
 * node", steps 2-7): an exclusive, frozen, hashed metadata map; the signed loader as a sleepable SYSCALL
 * program; one BPF_PROG_RUN; the program and map fds read back from the context. Takes only a
 * {@link VerifiedBundle}: nothing reaches the kernel for a bundle the agent has not verified. The
 * loader map and program are closed on every path; on failure so is everything the loader created.
 */
public final class LoaderHashV1Loader {
    static final String LOADER_MAP_NAME = "__loader.map";
    static final String LOADER_PROG_NAME = "__loader.prog";
    static final String LOADER_LICENSE = "Dual BSD/GPL";
    /** The kernel caps a verifier log buffer just below 4 GiB; 16 MiB holds any loader's failing run. */
    static final int LOG_SIZE = 16 << 20;
    private static final int LOG_LEVEL = 1;
    private static final byte[] KEY_ZERO = new byte[4];

    private final SyscallBridge bridge;

    public LoaderHashV1Loader(SyscallBridge bridge) {
        this.bridge = bridge;
    }

    /**
     * Loads the bundle's programs and maps. {@code mapNames}/{@code programNames}: the skeleton's, in
     * its order (they size the loader context), each name once. {@code keyring}: the Sigil keyring's serial,
     * needed exactly when {@code enforcement} is Kernel.
     */
    public LoadedObjects load(VerifiedBundle verified, List<String> mapNames, List<String> programNames,
            AppliedEnforcement enforcement, OptionalInt keyring) throws BpfFailure {
        requireDistinctNames(mapNames, programNames);
        SignedBundle bundle = verified.bundle();
        if (enforcement == AppliedEnforcement.Kernel && keyring.isEmpty()) {
            throw new IllegalArgumentException("Kernel enforcement needs the Sigil keyring's serial");
        }
        boolean compat = enforcement == AppliedEnforcement.Compat;
        byte[] loader = compat ? LoaderHashV1.stripPrologue(bundle.loader(), bundle.metadataSha256()) : bundle.loader();
        try (Fd map = metadataMap(verified, compat);
             Fd program = loadLoader(bundle, loader, map, enforcement, keyring)) {
            return run(program, mapNames, programNames);
        } catch (ProgramLoadException e) {
            throw new BpfFailure(FailureReason.ProgramLoadFailed,
                    "the kernel refused the signed loader: " + e.getMessage(), e.verifierLog(), e);
        } catch (SyscallException e) {
            throw new BpfFailure(FailureReason.LoaderRejected, "loading the signed loader failed: " + e.getMessage(), e);
        }
    }

    /**
     * The loaded objects are kept by name, so a name given twice would leave the first of its objects held by
     * nobody (an fd and a kernel object per load): refused before anything is loaded.
     *
     * @throws IllegalArgumentException naming the repeated name
     */
    public static void requireDistinctNames(List<String> mapNames, List<String> programNames) {
        requireDistinct("map", mapNames);
        requireDistinct("program", programNames);
    }

    private static void requireDistinct(String kind, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException(kind + " name '" + name + "' is given twice: each of the skeleton's "
                        + kind + "s has a name of its own");
            }
        }
    }

    /**
     * Steps 2-4: the exclusive map holding M, frozen, its hash computed (which the prologue compares). The
     * loader's and the metadata's SHA-256 are the ones verification established, not computed again.
     */
    private Fd metadataMap(VerifiedBundle verified, boolean compat) throws BpfFailure {
        SignedBundle bundle = verified.bundle();
        byte[] metadata = bundle.metadata();
        Fd map = bridge.mapCreate(new MapCreateRequest(MapType.ARRAY, KEY_ZERO.length, metadata.length, 1, 0,
                LOADER_MAP_NAME, compat ? Optional.empty() : Optional.of(Sha256.parseTagged(verified.loaderHash()))));
        try {
            bridge.mapUpdate(map, KEY_ZERO, metadata);
            bridge.mapFreeze(map);
            if (!compat) {
                byte[] kernelHash = bridge.mapInfo(map, true).hash().orElseThrow();
                if (!Arrays.equals(kernelHash, Sha256.parseTagged(bundle.hash()))) {
                    throw new BpfFailure(FailureReason.LoaderRejected, "the kernel hashed the metadata map to "
                            + HexFormat.of().formatHex(kernelHash) + ", not the signed " + bundle.hash());
                }
            }
            return map;
        } catch (BpfFailure | RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /** Step 5, retried once with a verifier log when the kernel refuses, so the error can say why. */
    private Fd loadLoader(SignedBundle bundle, byte[] loader, Fd map, AppliedEnforcement enforcement,
            OptionalInt keyring) {
        boolean kernelChecks = enforcement == AppliedEnforcement.Kernel;
        ProgLoadRequest request = new ProgLoadRequest(ProgramType.SYSCALL, loader, LOADER_LICENSE,
                ProgLoadRequest.SLEEPABLE, LOADER_PROG_NAME, 0, 0, List.of(map), kernelChecks,
                kernelChecks ? Optional.of(new ProgramSignature(bundle.signature(), keyring.getAsInt())) : Optional.empty(),
                0, 0);
        try {
            return ProgLoadRetry.load(bridge, request);
        } catch (ProgramLoadException first) {
            if (first.is(Errno.EOPNOTSUPP) || first.is(Errno.E2BIG)) {
                throw first;
            }
            return ProgLoadRetry.load(bridge, request.withLog(LOG_LEVEL, LOG_SIZE));
        }
    }

    /** Steps 6-7: run the loader; on failure run it once more with a log for the programs it loads. */
    private LoadedObjects run(Fd program, List<String> mapNames, List<String> programNames) throws BpfFailure {
        LoaderContext context = new LoaderContext(mapNames.size(), programNames.size());
        ProgRunResult result;
        try {
            result = bridge.progRun(program, context.build(0, 0, 0));
        } catch (SyscallException e) {
            if (e.is(Errno.EINVAL)) {
                // BPF_PROG_RUN refuses a context shorter than the furthest offset the loader's verifier saw it read.
                throw new BpfFailure(FailureReason.LoaderRejected, "the kernel would not run the signed loader with a "
                        + context.size() + "-byte context for " + mapNames.size() + " maps and " + programNames.size()
                        + " programs (" + e.getMessage() + "): the resource must list all of the skeleton's maps and"
                        + " programs, in its order", e);
            }
            throw e;
        }
        if (result.returnValue() >= 0) {
            return collect(context, result.context(), mapNames, programNames);
        }
        int errno = -result.returnValue();
        if (errno == Errno.EBADMSG.number()) {
            throw new BpfFailure(FailureReason.LoaderRejected, "the signed loader refused the metadata (EBADMSG, -74):"
                    + " the metadata map's SHA-256 differs from the hash signed into the loader");
        }
        String log;
        try (LogBuffer buffer = bridge.logBuffer(LOG_SIZE)) {
            ProgRunResult logged = bridge.progRun(program, context.build(LOG_LEVEL, buffer.size(), buffer.address()));
            if (logged.returnValue() >= 0) {
                // The second run succeeded (a transient failure the first time): keep its objects.
                return collect(context, logged.context(), mapNames, programNames);
            }
            log = buffer.text();
        }
        String message = "the signed loader returned " + result.returnValue() + ": " + Errno.describe(errno);
        throw log.isBlank()
                ? new BpfFailure(FailureReason.LoaderRejected, message)
                : new BpfFailure(FailureReason.ProgramLoadFailed,
                        message + ": the verifier refused a program it loads", log, null);
    }

    private LoadedObjects collect(LoaderContext context, byte[] after, List<String> mapNames,
            List<String> programNames) throws BpfFailure {
        List<String> missing = new ArrayList<>();
        Map<String, Fd> maps = adoptAll("map", mapNames, index -> context.mapFd(after, index), missing);
        Map<String, Fd> programs = adoptAll("program", programNames, index -> context.programFd(after, index), missing);
        LoadedObjects loaded = new LoadedObjects(programs, maps);
        if (!missing.isEmpty()) {
            loaded.close();
            throw new BpfFailure(FailureReason.LoaderRejected, "the signed loader returned no file descriptor for "
                    + String.join(", ", missing) + ": do the resource's maps and programs list the skeleton's, in order?");
        }
        return loaded;
    }

    /** Takes ownership of the fd the loader wrote for each name; a slot it left empty is added to {@code missing}. */
    private Map<String, Fd> adoptAll(String kind, List<String> names, IntUnaryOperator fdAt, List<String> missing) {
        Map<String, Fd> adopted = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            int fd = fdAt.applyAsInt(i);
            if (fd > 0) {
                adopted.put(names.get(i), bridge.adopt(fd));
            } else {
                missing.add(kind + " " + names.get(i));
            }
        }
        return adopted;
    }
}
