package dev.sigil.bpf.sys;

import java.util.Locale;

/**
 * System-call numbers of the calls the agent makes, per CPU architecture: Linux numbers them
 * differently on each, and a wrong number would silently call something else.
 */
public record SyscallNumbers(String architecture, long bpf, long addKey, long keyctl, long unshare, long setns,
        long perfEventOpen) {

    static final SyscallNumbers X86_64 = new SyscallNumbers("x86_64", 321, 248, 250, 272, 308, 298);
    /** The generic table (include/uapi/asm-generic/unistd.h), which arm64 uses. */
    static final SyscallNumbers AARCH64 = new SyscallNumbers("aarch64", 280, 217, 219, 97, 268, 241);

    /** The table for {@code os.arch}, or a clear refusal on an architecture Sigil has no table for. */
    public static SyscallNumbers forArchitecture(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new UnsupportedOperationException("Sigil has no system-call table for CPU architecture '"
                    + osArch + "' (known: x86_64, aarch64)");
        };
    }

    public static SyscallNumbers current() {
        return forArchitecture(System.getProperty("os.arch"));
    }
}
