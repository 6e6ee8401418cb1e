package dev.sigil.bpf.sys;

import java.util.Optional;

/**
 * A failed system call: which command, the errno (name and the C library's text), and what the agent
 * was doing. Callers decide on {@link #is(Errno)}, never on the message.
 */
public class SyscallException extends RuntimeException {
    private final String command;
    private final int errno;

    public SyscallException(String command, int errno, String context) {
        super(command + " failed: " + Errno.describe(errno)
                + (context == null || context.isEmpty() ? "" : ": " + context));
        this.command = command;
        this.errno = errno;
    }

    /** The command that failed, e.g. {@code BPF_PROG_LOAD} or {@code add_key}. */
    public String command() {
        return command;
    }

    public Optional<Errno> errno() {
        return Errno.of(errno);
    }

    public String errnoName() {
        return Errno.nameOf(errno);
    }

    public boolean is(Errno expected) {
        return errno == expected.number();
    }
}
