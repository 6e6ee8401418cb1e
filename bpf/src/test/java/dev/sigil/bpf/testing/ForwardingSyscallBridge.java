package dev.sigil.bpf.testing;

import dev.sigil.bpf.sys.BpfAttachType;
import dev.sigil.bpf.sys.BpfStatsType;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinkInfo;
import dev.sigil.bpf.sys.LogBuffer;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.MapInfo;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.sys.PerfEventRequest;
import dev.sigil.bpf.sys.ProgInfo;
import dev.sigil.bpf.sys.ProgLoadRequest;
import dev.sigil.bpf.sys.ProgRunResult;
import dev.sigil.bpf.sys.SyscallBridge;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A bridge that hands every call to another one: the base for decorators at the kernel seam (recording
 * what a test created, timing a benchmark's phases), which override only the calls they look at. Test
 * support: the node agent's tests and the bench use it from this module's test jar.
 */
public abstract class ForwardingSyscallBridge implements SyscallBridge {
    private final SyscallBridge delegate;

    protected ForwardingSyscallBridge(SyscallBridge delegate) {
        this.delegate = delegate;
    }

    @Override
    public Fd mapCreate(MapCreateRequest request) {
        return delegate.mapCreate(request);
    }

    @Override
    public Fd adopt(int number) {
        return delegate.adopt(number);
    }

    @Override
    public LogBuffer logBuffer(int size) {
        return delegate.logBuffer(size);
    }

    @Override
    public void mapUpdate(Fd map, byte[] key, byte[] value) {
        delegate.mapUpdate(map, key, value);
    }

    @Override
    public Optional<byte[]> mapLookup(Fd map, byte[] key, int valueSize) {
        return delegate.mapLookup(map, key, valueSize);
    }

    @Override
    public void mapFreeze(Fd map) {
        delegate.mapFreeze(map);
    }

    @Override
    public MapInfo mapInfo(Fd map, boolean computeHash) {
        return delegate.mapInfo(map, computeHash);
    }

    @Override
    public ProgInfo progInfo(Fd program) {
        return delegate.progInfo(program);
    }

    @Override
    public LinkInfo linkInfo(Fd link) {
        return delegate.linkInfo(link);
    }

    @Override
    public Fd progLoad(ProgLoadRequest request) {
        return delegate.progLoad(request);
    }

    @Override
    public ProgRunResult progRun(Fd program, byte[] context) {
        return delegate.progRun(program, context);
    }

    @Override
    public Fd linkCreate(Fd program, int target, BpfAttachType attachType, int flags) {
        return delegate.linkCreate(program, target, attachType, flags);
    }

    @Override
    public Fd kprobeMultiLinkCreate(Fd program, List<String> functions) {
        return delegate.kprobeMultiLinkCreate(program, functions);
    }

    @Override
    public Fd uprobeMultiLinkCreate(Fd program, Path binary, List<Long> offsets, boolean retprobe, OptionalInt pid) {
        return delegate.uprobeMultiLinkCreate(program, binary, offsets, retprobe, pid);
    }

    @Override
    public Fd perfEventOpen(PerfEventRequest request) {
        return delegate.perfEventOpen(request);
    }

    @Override
    public void linkUpdate(Fd link, Fd newProgram) {
        delegate.linkUpdate(link, newProgram);
    }

    @Override
    public Fd rawTracepointOpen(Optional<String> tracepoint, Fd program) {
        return delegate.rawTracepointOpen(tracepoint, program);
    }

    @Override
    public void objPin(Fd object, Path path) {
        delegate.objPin(object, path);
    }

    @Override
    public Fd objGet(Path path) {
        return delegate.objGet(path);
    }

    @Override
    public void linkDetach(Fd link) {
        delegate.linkDetach(link);
    }

    @Override
    public Optional<Fd> fdById(ObjectKind kind, int id) {
        return delegate.fdById(kind, id);
    }

    @Override
    public OptionalInt nextId(ObjectKind kind, int startId) {
        return delegate.nextId(kind, startId);
    }

    @Override
    public Fd enableStats(BpfStatsType type) {
        return delegate.enableStats(type);
    }

    @Override
    public int addKey(String type, String description, byte[] payload, int destinationKeyring) {
        return delegate.addKey(type, description, payload, destinationKeyring);
    }

    @Override
    public void invalidateKey(int serial) {
        delegate.invalidateKey(serial);
    }

    @Override
    public int interfaceIndex(String interfaceName) {
        return delegate.interfaceIndex(interfaceName);
    }

    @Override
    public Optional<String> defaultRouteInterface() {
        return delegate.defaultRouteInterface();
    }

    @Override
    public List<String> networkInterfaces() {
        return delegate.networkInterfaces();
    }

    @Override
    public Fd openDirectory(Path directory) {
        return delegate.openDirectory(directory);
    }

    @Override
    public Fd openFile(Path file) {
        return delegate.openFile(file);
    }

    @Override
    public void mountBpffs(Path target) {
        delegate.mountBpffs(target);
    }

    @Override
    public void mountTracefs(Path target) {
        delegate.mountTracefs(target);
    }

    @Override
    public void unmount(Path target) {
        delegate.unmount(target);
    }

    @Override
    public void unshareNetworkNamespace() {
        delegate.unshareNetworkNamespace();
    }

    @Override
    public void enterNetworkNamespace(Path namespace) {
        delegate.enterNetworkNamespace(namespace);
    }
}
