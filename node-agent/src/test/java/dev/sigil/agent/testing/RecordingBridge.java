package dev.sigil.agent.testing;

import dev.sigil.agent.sys.BpfAttachType;
import dev.sigil.agent.sys.Fd;
import dev.sigil.agent.sys.LinkInfo;
import dev.sigil.agent.sys.LinuxSyscallBridge;
import dev.sigil.agent.sys.LogBuffer;
import dev.sigil.agent.sys.MapCreateRequest;
import dev.sigil.agent.sys.MapInfo;
import dev.sigil.agent.sys.ObjectKind;
import dev.sigil.agent.sys.ProgInfo;
import dev.sigil.agent.sys.ProgLoadRequest;
import dev.sigil.agent.sys.ProgRunResult;
import dev.sigil.agent.sys.SyscallBridge;
import dev.sigil.agent.testing.FdCount.KernelObject;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The real bridge, noting the id of every program, map and link created through it (or handed to the
 * agent by a loader), so a test can ask the kernel afterwards, by id, whether each of them is gone.
 */
public final class RecordingBridge implements SyscallBridge {
    private final SyscallBridge kernel = LinuxSyscallBridge.create();
    private final Set<KernelObject> created = new LinkedHashSet<>();

    /** Everything created since the last {@link #forgetCreated()}. */
    public synchronized Set<KernelObject> created() {
        return Set.copyOf(created);
    }

    public synchronized void forgetCreated() {
        created.clear();
    }

    private synchronized Fd record(Fd fd) {
        FdCount.objectBehind(fd.number()).ifPresent(created::add);
        return fd;
    }

    /** The ids of every live object of {@code kind}, by BPF_*_GET_NEXT_ID. */
    public Set<Integer> liveIds(ObjectKind kind) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (OptionalInt id = kernel.nextId(kind, 0); id.isPresent(); id = kernel.nextId(kind, id.getAsInt())) {
            ids.add(id.getAsInt());
        }
        return ids;
    }

    @Override
    public Fd mapCreate(MapCreateRequest request) {
        return record(kernel.mapCreate(request));
    }

    @Override
    public Fd adopt(int number) {
        return record(kernel.adopt(number));
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
    public ProgInfo progInfo(Fd program) {
        return kernel.progInfo(program);
    }

    @Override
    public LinkInfo linkInfo(Fd link) {
        return kernel.linkInfo(link);
    }

    @Override
    public Fd progLoad(ProgLoadRequest request) {
        return record(kernel.progLoad(request));
    }

    @Override
    public ProgRunResult progRun(Fd program, byte[] context) {
        return kernel.progRun(program, context);
    }

    @Override
    public Fd linkCreate(Fd program, int target, BpfAttachType attachType, int flags) {
        return record(kernel.linkCreate(program, target, attachType, flags));
    }

    @Override
    public Fd kprobeMultiLinkCreate(Fd program, List<String> functions) {
        return record(kernel.kprobeMultiLinkCreate(program, functions));
    }

    @Override
    public void linkUpdate(Fd link, Fd newProgram) {
        kernel.linkUpdate(link, newProgram);
    }

    @Override
    public Fd rawTracepointOpen(Optional<String> tracepoint, Fd program) {
        return record(kernel.rawTracepointOpen(tracepoint, program));
    }

    @Override
    public void objPin(Fd object, Path path) {
        kernel.objPin(object, path);
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
