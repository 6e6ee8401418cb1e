package dev.sigil.bpf.kernel;

import dev.sigil.bpf.sys.BpfAttachType;
import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.MapInfo;
import dev.sigil.bpf.sys.MapType;
import dev.sigil.bpf.sys.NetworkNamespaceThread;
import dev.sigil.bpf.sys.ProgLoadRequest;
import dev.sigil.bpf.sys.ProgLoadRetry;
import dev.sigil.bpf.sys.ProgramSignature;
import dev.sigil.bpf.sys.ProgramType;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.sys.SyscallException;
import dev.sigil.bpf.sys.XdpFlags;
import dev.sigil.signing.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Finds out what this kernel lets the agent do, one capability at a time when it is first asked for
 * ({@link #features()}). Each check makes the real call with a throwaway object (a tiny map, a
 * two-instruction program, a link on a private loopback or network namespace, a scratch cgroup, a uprobe on
 * a scratch file nobody runs) and reports the kernel's own answer. Nothing it creates outlives the check.
 */
public final class KernelProbe {
    private static final String PROBE_NAME = "sigil_probe";
    private static final String LICENSE = "GPL";
    private static final int XDP_PASS = 2;
    private static final int TCX_NEXT = -1;
    private static final int LOOPBACK_IFINDEX = 1;
    private static final String PROBE_TRACEPOINT = "sys_enter";
    private static final String PROBE_FUNCTION = "bpf_fentry_test1";
    private static final String PROBE_LSM_HOOK = "bpf_lsm_file_open";
    private static final int SK_PASS = 1;
    /** The calling thread's network namespace, which {@link #onPrivateLoopback} makes a throwaway one. */
    private static final Path OWN_NETWORK_NAMESPACE = Path.of("/proc/thread-self/ns/net");

    private final SyscallBridge bridge;
    private final Path pinRoot;
    private final BpffsMount mount;
    private final Mounts mounts;
    private final PerfEventProbes perfEvents;

    /** A probe that mounts a bpffs for the pin root only where that hides nothing ({@link BpffsMount#IfEmpty}). */
    public KernelProbe(SyscallBridge bridge, Path pinRoot) {
        this(bridge, pinRoot, BpffsMount.IfEmpty);
    }

    public KernelProbe(SyscallBridge bridge, Path pinRoot, BpffsMount mount) {
        this(bridge, pinRoot, mount, Mounts.system());
    }

    KernelProbe(SyscallBridge bridge, Path pinRoot, BpffsMount mount, Mounts mounts) {
        this.bridge = bridge;
        this.pinRoot = pinRoot;
        this.mount = mount;
        this.mounts = mounts;
        this.perfEvents = new PerfEventProbes(bridge, new Tracefs(bridge, mounts));
    }

    /**
     * This kernel's features, each probed when first asked for (and logged then), none now. Asking for
     * bpffs mounts one under the pin root when there is none, as far as {@link BpffsMount} allows.
     */
    public KernelFeatures features() {
        Map<AttachKind, Supplier<Support>> attach = new EnumMap<>(AttachKind.class);
        attach.put(AttachKind.RawTracepoint, () -> check(this::rawTracepoint));
        attach.put(AttachKind.TpBtf, () -> btfTyped(ProgramType.TRACING, BpfAttachType.TRACE_RAW_TP,
                VmlinuxBtf.Kind.TYPEDEF, "btf_trace_" + PROBE_TRACEPOINT));
        attach.put(AttachKind.Fentry, () -> btfTyped(ProgramType.TRACING, BpfAttachType.TRACE_FENTRY,
                VmlinuxBtf.Kind.FUNC, PROBE_FUNCTION));
        attach.put(AttachKind.Fexit, () -> btfTyped(ProgramType.TRACING, BpfAttachType.TRACE_FEXIT,
                VmlinuxBtf.Kind.FUNC, PROBE_FUNCTION));
        attach.put(AttachKind.Lsm, () -> btfTyped(ProgramType.LSM, BpfAttachType.LSM_MAC, VmlinuxBtf.Kind.FUNC,
                PROBE_LSM_HOOK));
        attach.put(AttachKind.Kprobe, () -> check(this::kprobe));
        attach.put(AttachKind.Cgroup, () -> check(this::cgroup));
        attach.put(AttachKind.Xdp, () -> onPrivateLoopback(() -> interfaceLink(ProgramType.XDP, XDP_PASS,
                BpfAttachType.XDP, XdpFlags.SKB_MODE)));
        attach.put(AttachKind.Tcx, () -> onPrivateLoopback(() -> interfaceLink(ProgramType.SCHED_CLS, TCX_NEXT,
                BpfAttachType.TCX_INGRESS, 0)));
        attach.put(AttachKind.Tracepoint, () -> check(perfEvents::tracepoint));
        attach.put(AttachKind.Uprobe, () -> check(() -> perfEvents.uprobe(false)));
        attach.put(AttachKind.Uretprobe, () -> check(() -> perfEvents.uprobe(true)));
        attach.put(AttachKind.SkLookup, () -> onPrivateLoopback(this::skLookup));
        return KernelFeatures.probed(System.getProperty("os.version"), () -> check(this::bpf),
                () -> check(this::exclusiveMaps), () -> check(this::mapHashes), this::signatureVerification,
                this::bpffs, attach, () -> check(perfEvents::uprobeMulti));
    }

    private Support bpf() {
        try (Fd map = bridge.mapCreate(arrayMap(Optional.empty()))) {
            return Support.supported("");
        }
    }

    @FunctionalInterface
    private interface Check {
        Support run() throws IOException;
    }

    private static Support check(Check check) {
        try {
            return check.run();
        } catch (SyscallException e) {
            return Support.unsupported(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            return Support.unsupported(e.getMessage());
        }
    }

    private static MapCreateRequest arrayMap(Optional<byte[]> exclusiveTo) {
        return new MapCreateRequest(MapType.ARRAY, 4, 8, 1, 0, PROBE_NAME, exclusiveTo);
    }

    static ProgLoadRequest program(ProgramType type, int returnValue, int flags, int expectedAttachType,
            int attachBtfId, Optional<ProgramSignature> signature) {
        return new ProgLoadRequest(type, ProbeProgram.returning(returnValue), LICENSE, flags, PROBE_NAME,
                expectedAttachType, attachBtfId, List.of(), false, signature, 0, 0);
    }

    private Support exclusiveMaps() {
        try (Fd map = bridge.mapCreate(arrayMap(Optional.of(Sha256.digest(ProbeProgram.returning(0)))))) {
            return Support.supported("");
        } catch (SyscallException e) {
            if (e.is(Errno.E2BIG)) {
                return Support.unsupported("kernel predates exclusive maps (E2BIG: bpf_attr has no excl_prog_hash)");
            }
            throw e;
        }
    }

    private Support mapHashes() {
        try (Fd map = bridge.mapCreate(arrayMap(Optional.empty()))) {
            bridge.mapFreeze(map);
            byte[] hash = bridge.mapInfo(map, true).hash().orElseThrow();
            if (hash.length != MapInfo.HASH_SIZE || Arrays.equals(hash, new byte[MapInfo.HASH_SIZE])) {
                return Support.unsupported("kernel returned no SHA-256 for a frozen map");
            }
            return Support.supported("");
        } catch (SyscallException e) {
            if (e.is(Errno.E2BIG)) {
                return Support.unsupported("kernel predates map hashes (E2BIG: bpf_map_info has no hash)");
            }
            throw e;
        }
    }

    /**
     * Loads a trivial SYSCALL program with 32 bytes of garbage as its "signature", checked against the
     * builtin keyring (id 0). A kernel that verifies signatures parses it and refuses (EBADMSG and
     * kin); one that cannot says so before looking at it.
     */
    Support signatureVerification() {
        ProgramSignature garbage = new ProgramSignature(new byte[32], 0);
        try (Fd unexpected = ProgLoadRetry.load(bridge, program(ProgramType.SYSCALL, 0, ProgLoadRequest.SLEEPABLE, 0, 0,
                Optional.of(garbage)))) {
            return Support.unsupported("kernel accepted a program with an invalid signature: it ignores signatures");
        } catch (SyscallException e) {
            return switch (e.errno().orElse(Errno.ENOSYS)) {
                case EOPNOTSUPP -> Support.unsupported("EOPNOTSUPP: kernel built without CONFIG_SYSTEM_DATA_VERIFICATION");
                case E2BIG -> Support.unsupported("E2BIG: kernel predates signed BPF programs (no signature in bpf_attr)");
                case EINVAL -> Support.unsupported("EINVAL: kernel rejected the signature fields of BPF_PROG_LOAD");
                case EBADMSG, ENOKEY, EKEYREJECTED, ENOPKG, EMSGSIZE -> Support.supported(
                        "kernel parsed and refused a probe signature (" + e.errnoName() + ")");
                default -> Support.unsupported(e.getMessage());
            };
        }
    }

    private Support rawTracepoint() {
        try (Fd program = ProgLoadRetry.load(bridge, program(ProgramType.RAW_TRACEPOINT, 0, 0, 0, 0, Optional.empty()));
             Fd link = bridge.rawTracepointOpen(Optional.of(PROBE_TRACEPOINT), program)) {
            return Support.supported("raw tracepoint " + PROBE_TRACEPOINT);
        }
    }

    /** tp_btf, fentry, fexit and lsm: the probe program needs the target's BTF id, looked up by name alone. */
    private Support btfTyped(ProgramType type, BpfAttachType attachType, VmlinuxBtf.Kind kind, String target) {
        return check(() -> {
            OptionalInt id = VmlinuxBtf.find(VmlinuxBtf.KERNEL_BTF, kind, target);
            if (id.isEmpty()) {
                return Support.unsupported("kernel BTF has no " + target);
            }
            try (Fd program = ProgLoadRetry.load(bridge, program(type, 0, 0, attachType.code(), id.getAsInt(),
                    Optional.empty()));
                 Fd link = bridge.linkCreate(program, 0, attachType, 0)) {
                return Support.supported(attachType + " on " + target);
            }
        });
    }

    private Support kprobe() {
        try (Fd program = ProgLoadRetry.load(bridge, program(ProgramType.KPROBE, 0, 0, BpfAttachType.TRACE_KPROBE_MULTI.code(), 0,
                Optional.empty()));
             Fd link = bridge.kprobeMultiLinkCreate(program, List.of(PROBE_FUNCTION))) {
            return Support.supported("kprobe_multi on " + PROBE_FUNCTION);
        }
    }

    /** sk_lookup on the network namespace of the calling (private) thread. */
    private Support skLookup() {
        try (Fd program = ProgLoadRetry.load(bridge, program(ProgramType.SK_LOOKUP, SK_PASS, 0,
                BpfAttachType.SK_LOOKUP.code(), 0, Optional.empty()));
             Fd namespace = bridge.openFile(OWN_NETWORK_NAMESPACE);
             Fd link = bridge.linkCreate(program, namespace.number(), BpfAttachType.SK_LOOKUP, 0)) {
            return Support.supported("sk_lookup link on a network namespace");
        }
    }

    private Support cgroup() throws IOException {
        Optional<Path> cgroup2 = mounts.mountPointOf("cgroup2");
        if (cgroup2.isEmpty()) {
            return Support.unsupported("no cgroup2 hierarchy is mounted");
        }
        Path scratch = cgroup2.get().resolve("sigil-probe-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(scratch);
        try (Fd program = ProgLoadRetry.load(bridge, program(ProgramType.CGROUP_SKB, 1, 0,
                BpfAttachType.CGROUP_INET_INGRESS.code(), 0, Optional.empty()));
             Fd directory = bridge.openDirectory(scratch);
             Fd link = bridge.linkCreate(program, directory.number(), BpfAttachType.CGROUP_INET_INGRESS, 0)) {
            return Support.supported("cgroup2 at " + cgroup2.get());
        } finally {
            Files.delete(scratch);
        }
    }

    /**
     * XDP and tcx need an interface. A throwaway thread moves into its own network namespace and uses
     * that namespace's loopback, so the probe never touches the node's interfaces.
     */
    private Support onPrivateLoopback(Check check) {
        try (NetworkNamespaceThread isolated = NetworkNamespaceThread.isolated(bridge, "sigil-probe-netns")) {
            return isolated.call(() -> check(check));
        } catch (SyscallException e) {
            return Support.unsupported(e.getMessage());
        }
    }

    private Support interfaceLink(ProgramType type, int returnValue, BpfAttachType attachType, int flags) {
        try (Fd program = ProgLoadRetry.load(bridge, program(type, returnValue, 0, attachType.code(), 0, Optional.empty()));
             Fd link = bridge.linkCreate(program, LOOPBACK_IFINDEX, attachType, flags)) {
            return Support.supported(attachType + " link on a loopback device");
        }
    }

    /**
     * bpffs under the pin root, mounting one when none is there, this process may, and the mount hides nothing (or
     * is asked for whatever it hides).
     */
    Support bpffs() {
        try {
            Optional<Mounts.Mount> covering = mounts.covering(pinRoot);
            if (covering.filter(found -> found.type().equals("bpf")).isPresent()) {
                return Support.supported("bpffs at " + covering.get().mountPoint());
            }
            String there = "no bpffs under " + pinRoot + covering.map(found -> " (it is on " + found.type() + ")").orElse("");
            Path target = pinRoot.startsWith(Mounts.DEFAULT_BPFFS) ? Mounts.DEFAULT_BPFFS : pinRoot;
            if (mount == BpffsMount.Never) {
                return Support.unsupported(there + "; not mounting one for what only looks at pins");
            }
            List<String> hidden = entries(target);
            if (mount == BpffsMount.IfEmpty && !hidden.isEmpty()) {
                return Support.unsupported(there + ", and " + target + " holds " + hidden.size()
                        + (hidden.size() == 1 ? " entry (" : " entries (")
                        + String.join(", ", hidden.subList(0, Math.min(3, hidden.size())))
                        + (hidden.size() > 3 ? ", …" : "") + ") that a bpffs mounted over it would hide: choose an empty"
                        + " pin root, or ask for the mount explicitly");
            }
            Files.createDirectories(target);
            bridge.mountBpffs(target);
            return Support.supported("bpffs mounted by the agent at " + target);
        } catch (SyscallException | IOException e) {
            return Support.unsupported("no bpffs under " + pinRoot + " and mounting one failed: " + e.getMessage());
        }
    }

    private static List<String> entries(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

}
