package dev.sigil.bpf.sys;

import java.util.List;
import java.util.Optional;

/**
 * BPF_PROG_LOAD arguments. {@code fdArray}: maps the instructions refer to by index
 * ({@code BPF_PSEUDO_MAP_IDX}); {@code countFdArray} also passes {@code fd_array_cnt}, which kernels
 * before 6.14 reject. {@code logLevel} 0 loads without a verifier log buffer.
 */
public record ProgLoadRequest(ProgramType type, byte[] instructions, String license, int flags, String name,
        int expectedAttachType, int attachBtfId, List<Fd> fdArray, boolean countFdArray,
        Optional<ProgramSignature> signature, int logLevel, int logSize) {

    /** {@code BPF_F_SLEEPABLE}: the program may sleep (SYSCALL loaders must, to copy from user memory). */
    public static final int SLEEPABLE = 1 << 4;

    /** One BPF instruction is 8 bytes. */
    public static final int INSTRUCTION_SIZE = 8;

    public ProgLoadRequest {
        if (instructions.length == 0 || instructions.length % INSTRUCTION_SIZE != 0) {
            throw new IllegalArgumentException("program " + name + ": " + instructions.length
                    + " bytes is not a whole number of 8-byte BPF instructions");
        }
        fdArray = List.copyOf(fdArray);
    }

    public ProgLoadRequest withLog(int level, int size) {
        return new ProgLoadRequest(type, instructions, license, flags, name, expectedAttachType, attachBtfId, fdArray,
                countFdArray, signature, level, size);
    }
}
