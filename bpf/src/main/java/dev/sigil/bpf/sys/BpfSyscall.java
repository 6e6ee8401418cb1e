package dev.sigil.bpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * The one entry point to bpf(2), as cilium/ebpf's {@code internal/sys.BPF}: the command and its
 * attribute block go to the kernel as they are; it builds nothing and interprets nothing but the result.
 */
final class BpfSyscall {
    private final long number;

    BpfSyscall(SyscallNumbers numbers) {
        this.number = numbers.bpf();
    }

    /** Runs the command; a failure throws, naming the command, its errno and {@code context}. */
    long call(BpfCommand command, MemorySegment attr, String context) {
        Native.Result result = attempt(command, attr);
        if (result.failed()) {
            throw new SyscallException(command.cName(), result.errno(), context);
        }
        return result.value();
    }

    Fd callForFd(BpfCommand command, MemorySegment attr, String context) {
        return Fd.ownNative((int) call(command, attr, context));
    }

    /** The raw result, for a command whose failure says more than its errno (BPF_PROG_LOAD's verifier log). */
    Native.Result attempt(BpfCommand command, MemorySegment attr) {
        return Native.syscall(number, command.code(), attr.address(), attr.byteSize(), 0, 0);
    }

    static StructView attr(Arena arena, StructLayout layout) {
        return new StructView(arena.allocate(layout), layout);
    }

    /** The bytes in native memory, or NULL for none (the kernel reads a zero-length buffer from nowhere). */
    static MemorySegment bytes(Arena arena, byte[] data) {
        return data.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_BYTE, data);
    }
}
