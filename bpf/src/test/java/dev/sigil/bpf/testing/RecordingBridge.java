package dev.sigil.bpf.testing;

import dev.sigil.bpf.sys.BpfAttachType;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.testing.ForwardingSyscallBridge;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.sys.ProgLoadRequest;
import dev.sigil.bpf.testing.FdCount.KernelObject;
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
public final class RecordingBridge extends ForwardingSyscallBridge {
    private final Set<KernelObject> created = new LinkedHashSet<>();

    public RecordingBridge() {
        super(LinuxSyscallBridge.create());
    }

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
        for (OptionalInt id = nextId(kind, 0); id.isPresent(); id = nextId(kind, id.getAsInt())) {
            ids.add(id.getAsInt());
        }
        return ids;
    }

    @Override
    public Fd mapCreate(MapCreateRequest request) {
        return record(super.mapCreate(request));
    }

    @Override
    public Fd adopt(int number) {
        return record(super.adopt(number));
    }

    @Override
    public Fd progLoad(ProgLoadRequest request) {
        return record(super.progLoad(request));
    }

    @Override
    public Fd linkCreate(Fd program, int target, BpfAttachType attachType, int flags) {
        return record(super.linkCreate(program, target, attachType, flags));
    }

    @Override
    public Fd kprobeMultiLinkCreate(Fd program, List<String> functions) {
        return record(super.kprobeMultiLinkCreate(program, functions));
    }

    @Override
    public Fd uprobeMultiLinkCreate(Fd program, Path binary, List<Long> offsets, boolean retprobe, OptionalInt pid) {
        return record(super.uprobeMultiLinkCreate(program, binary, offsets, retprobe, pid));
    }

    @Override
    public Fd rawTracepointOpen(Optional<String> tracepoint, Fd program) {
        return record(super.rawTracepointOpen(tracepoint, program));
    }
}
