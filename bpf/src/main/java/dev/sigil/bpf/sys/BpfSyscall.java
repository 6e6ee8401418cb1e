package dev.sigil.bpf.sys;

import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;

/**
 * The one entry point to bpf(2), as cilium/ebpf's {@code internal/sys.BPF}: the command and its
 * attribute block go to the kernel as they are; it builds nothing and interprets nothing but the result.
 * What the caller was doing is only put into words when the call fails.
 */
final class BpfSyscall {
    private final long number;

    BpfSyscall(SyscallNumbers numbers) {
        this.number = numbers.bpf();
    }

    /** Runs the command; a failure throws, naming the command, its errno and {@code context}. */
    long call(BpfCommand command, MemorySegment attr, Supplier<String> context) {
        Native.Result result = attempt(command, attr);
        if (result.failed()) {
            throw new SyscallException(command.cName(), result.errno(), context.get());
        }
        return result.value();
    }

    Fd callForFd(BpfCommand command, MemorySegment attr, Supplier<String> context) {
        return Fd.ownNative((int) call(command, attr, context));
    }

    /** The raw result, for a command whose failure says more than its errno (BPF_PROG_LOAD's verifier log). */
    Native.Result attempt(BpfCommand command, MemorySegment attr) {
        return Native.syscall(number, command.code(), attr.address(), attr.byteSize(), 0, 0);
    }
}
