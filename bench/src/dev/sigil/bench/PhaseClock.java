package dev.sigil.bench;

import dev.sigil.agent.sys.BpfAttachType;
import dev.sigil.agent.sys.Fd;
import dev.sigil.agent.sys.LinkInfo;
import dev.sigil.agent.sys.LogBuffer;
import dev.sigil.agent.sys.MapCreateRequest;
import dev.sigil.agent.sys.MapInfo;
import dev.sigil.agent.sys.ObjectKind;
import dev.sigil.agent.sys.ProgInfo;
import dev.sigil.agent.sys.ProgLoadRequest;
import dev.sigil.agent.sys.ProgRunResult;
import dev.sigil.agent.sys.SyscallBridge;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Splits one real {@code apply} into its phases without touching the host: a pass-through bridge that
 * notes when the first call of each phase reaches the kernel. The host's order is fixed (verify, then the
 * loader protocol from its map create, then attach from the first program-info read, then pinning from
 * the first OBJ_PIN), so the phase boundaries are those first calls, and the phases add up to the whole
 * apply. Costs one {@code System.nanoTime()} per marker call.
 */
final class PhaseClock implements SyscallBridge {
    /** One apply's split, in milliseconds; {@code total} is the sum. */
    record Phases(double verify, double loader, double attach, double pin) {
        double loadAndAttach() {
            return loader + attach;
        }

        double total() {
            return verify + loader + attach + pin;
        }
    }

    private final SyscallBridge kernel;
    private long start;
    private long loaderStart;
    private long attachStart;
    private long pinStart;

    PhaseClock(SyscallBridge kernel) {
        this.kernel = kernel;
    }

    /** Starts timing one apply. */
    void start() {
        loaderStart = 0;
        attachStart = 0;
        pinStart = 0;
        start = System.nanoTime();
    }

    /** Ends the apply started last; fails if a phase never began (the apply did not run the whole path). */
    Phases stop() {
        long end = System.nanoTime();
        if (loaderStart == 0 || attachStart == 0 || pinStart == 0) {
            throw new IllegalStateException("the apply skipped a phase (loader " + loaderStart + ", attach "
                    + attachStart + ", pin " + pinStart + ")");
        }
        return new Phases(millis(loaderStart - start), millis(attachStart - loaderStart), millis(pinStart - attachStart),
                millis(end - pinStart));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    @Override
    public Fd mapCreate(MapCreateRequest request) {
        if (loaderStart == 0) {
            loaderStart = System.nanoTime();
        }
        return kernel.mapCreate(request);
    }

    @Override
    public ProgInfo progInfo(Fd program) {
        if (attachStart == 0) {
            attachStart = System.nanoTime();
        }
        return kernel.progInfo(program);
    }

    @Override
    public void objPin(Fd object, Path path) {
        if (pinStart == 0) {
            pinStart = System.nanoTime();
        }
        kernel.objPin(object, path);
    }

    @Override
    public Fd adopt(int number) {
        return kernel.adopt(number);
    }

    @Override
    public LogBuffer logBuffer(int size) {
        return kernel.logBuffer(size);
    }

    @Override
    public void mapUpdate(Fd map, byte[] key, byte[] value) {
        kernel.mapUpdate(map, key, value);
    }

    @Override
    public Optional<byte[]> mapLookup(Fd map, byte[] key, int valueSize) {
        return kernel.mapLookup(map, key, valueSize);
    }

    @Override
    public void mapFreeze(Fd map) {
        kernel.mapFreeze(map);
    }

    @Override
    public MapInfo mapInfo(Fd map, boolean computeHash) {
        return kernel.mapInfo(map, computeHash);
    }

    @Override
    public LinkInfo linkInfo(Fd link) {
        return kernel.linkInfo(link);
    }

    @Override
    public Fd progLoad(ProgLoadRequest request) {
        return kernel.progLoad(request);
    }

    @Override
    public ProgRunResult progRun(Fd program, byte[] context) {
        return kernel.progRun(program, context);
    }

    @Override
    public Fd linkCreate(Fd program, int target, BpfAttachType attachType, int flags) {
        return kernel.linkCreate(program, target, attachType, flags);
    }

    @Override
    public Fd kprobeMultiLinkCreate(Fd program, List<String> functions) {
        return kernel.kprobeMultiLinkCreate(program, functions);
    }

    @Override
    public void linkUpdate(Fd link, Fd newProgram) {
        kernel.linkUpdate(link, newProgram);
    }

    @Override
    public Fd rawTracepointOpen(Optional<String> tracepoint, Fd program) {
        return kernel.rawTracepointOpen(tracepoint, program);
    }

    @Override
    public Fd objGet(Path path) {
        return kernel.objGet(path);
    }

    @Override
    public void linkDetach(Fd link) {
        kernel.linkDetach(link);
    }

    @Override
    public Optional<Fd> fdById(ObjectKind kind, int id) {
        return kernel.fdById(kind, id);
    }

    @Override
    public OptionalInt nextId(ObjectKind kind, int startId) {
        return kernel.nextId(kind, startId);
    }

    @Override
    public int addKey(String type, String description, byte[] payload, int destinationKeyring) {
        return kernel.addKey(type, description, payload, destinationKeyring);
    }

    @Override
    public void invalidateKey(int serial) {
        kernel.invalidateKey(serial);
    }

    @Override
    public int interfaceIndex(String interfaceName) {
        return kernel.interfaceIndex(interfaceName);
    }

    @Override
    public Fd openDirectory(Path directory) {
        return kernel.openDirectory(directory);
    }

    @Override
    public void mountBpffs(Path target) {
        kernel.mountBpffs(target);
    }

    @Override
    public void unshareNetworkNamespace() {
        kernel.unshareNetworkNamespace();
    }

    @Override
    public void enterNetworkNamespace(Path namespace) {
        kernel.enterNetworkNamespace(namespace);
    }
}
