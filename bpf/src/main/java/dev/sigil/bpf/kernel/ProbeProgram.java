package dev.sigil.bpf.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The probe's own two-instruction programs ({@code r0 = value; exit}): the smallest thing each program
 * type's verifier accepts. They never come from a bundle and do nothing but return.
 */
final class ProbeProgram {
    private static final byte MOV64_IMM = (byte) 0xb7;   // BPF_ALU64 | BPF_MOV | BPF_K, dst r0
    private static final byte EXIT = (byte) 0x95;        // BPF_JMP | BPF_EXIT

    private ProbeProgram() {
    }

    static byte[] returning(int value) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .put(MOV64_IMM).put((byte) 0).putShort((short) 0).putInt(value)
                .put(EXIT).put((byte) 0).putShort((short) 0).putInt(0)
                .array();
    }
}
