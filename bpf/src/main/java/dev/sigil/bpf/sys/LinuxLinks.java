package dev.sigil.bpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.sigil.bpf.sys.BpfAttrFields.LinkChange;
import dev.sigil.bpf.sys.BpfAttrFields.LinkCreate;
import dev.sigil.bpf.sys.BpfAttrFields.RawTracepointOpen;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The real bridge's bpf() commands that create, update and detach links. */
final class LinuxLinks {
    /** {@code BPF_F_UPROBE_MULTI_RETURN}: the uprobe_multi link fires on return. */
    private static final int UPROBE_MULTI_RETURN = 1;

    private final BpfSyscall bpf;

    LinuxLinks(BpfSyscall bpf) {
        this.bpf = bpf;
    }

    Fd linkCreate(Fd program, int target, BpfAttachType attachType, int flags) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.LINK_CREATE);
            LinkCreate.PROG_FD.set(attr, program.number());
            LinkCreate.TARGET_FD.set(attr, target);
            LinkCreate.ATTACH_TYPE.set(attr, attachType.code());
            LinkCreate.FLAGS.set(attr, flags);
            return bpf.callForFd(BpfCommand.LINK_CREATE, attr, () -> attachType + " target " + target);
        }
    }

    Fd kprobeMultiLinkCreate(Fd program, List<String> functions) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment symbols = memory.allocate(JAVA_LONG.byteSize() * functions.size());
            for (int i = 0; i < functions.size(); i++) {
                symbols.setAtIndex(JAVA_LONG, i, memory.string(functions.get(i)).address());
            }
            MemorySegment attr = memory.allocate(BpfAttr.LINK_CREATE);
            LinkCreate.PROG_FD.set(attr, program.number());
            LinkCreate.ATTACH_TYPE.set(attr, BpfAttachType.TRACE_KPROBE_MULTI.code());
            LinkCreate.KPROBE_MULTI_CNT.set(attr, functions.size());
            LinkCreate.KPROBE_MULTI_SYMS.address(attr, symbols);
            return bpf.callForFd(BpfCommand.LINK_CREATE, attr, () -> "kprobe_multi " + functions);
        }
    }

    Fd uprobeMultiLinkCreate(Fd program, Path binary, List<Long> offsets, boolean retprobe, OptionalInt pid) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment offsetArray = memory.allocate(JAVA_LONG.byteSize() * offsets.size());
            for (int i = 0; i < offsets.size(); i++) {
                offsetArray.setAtIndex(JAVA_LONG, i, offsets.get(i));
            }
            MemorySegment attr = memory.allocate(BpfAttr.LINK_CREATE);
            LinkCreate.PROG_FD.set(attr, program.number());
            LinkCreate.ATTACH_TYPE.set(attr, BpfAttachType.TRACE_UPROBE_MULTI.code());
            LinkCreate.UPROBE_MULTI_PATH.address(attr, memory.string(binary.toString()));
            LinkCreate.UPROBE_MULTI_OFFSETS.address(attr, offsetArray);
            LinkCreate.UPROBE_MULTI_CNT.set(attr, offsets.size());
            LinkCreate.UPROBE_MULTI_FLAGS.set(attr, retprobe ? UPROBE_MULTI_RETURN : 0);
            LinkCreate.UPROBE_MULTI_PID.set(attr, pid.orElse(0));
            return bpf.callForFd(BpfCommand.LINK_CREATE, attr, () -> "uprobe_multi " + binary + " offsets " + offsets);
        }
    }

    void linkUpdate(Fd link, Fd newProgram) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.LINK_UPDATE);
            LinkChange.LINK_FD.set(attr, link.number());
            LinkChange.NEW_PROG_FD.set(attr, newProgram.number());
            bpf.call(BpfCommand.LINK_UPDATE, attr, () -> "link " + link);
        }
    }

    Fd rawTracepointOpen(Optional<String> tracepoint, Fd program) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.RAW_TRACEPOINT_OPEN);
            RawTracepointOpen.PROG_FD.set(attr, program.number());
            if (tracepoint.isPresent()) {
                RawTracepointOpen.NAME.address(attr, memory.string(tracepoint.get()));
            }
            return bpf.callForFd(BpfCommand.RAW_TRACEPOINT_OPEN, attr, () -> "tracepoint " + tracepoint.orElse("(btf)"));
        }
    }

    void linkDetach(Fd link) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.LINK_DETACH);
            LinkChange.DETACH_LINK_FD.set(attr, link.number());
            bpf.call(BpfCommand.LINK_DETACH, attr, () -> "link " + link);
        }
    }
}
