package dev.sigil.signing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Protocol {@code LoaderHashV1} (Linux 6.18): the signed loader is {@code P(H) || L0}, where the
 * 21-instruction prologue {@code P(H)} compares the exclusive metadata map's kernel-computed
 * SHA-256 ({@code struct bpf_map} starts with {@code u8 sha[32]}) with the embedded hash {@code H}
 * and returns {@code -EBADMSG} on mismatch. The only class that knows the prologue's bytes.
 *
 * <pre>
 *  0-1   r2 = map_by_idx(0)              ld_imm64, src = BPF_PSEUDO_MAP_IDX
 *  for i in 0..3 (4 instructions each, starting at 2 + 4i):
 *        r3 = *(u64 *)(r2 + 8i)
 *        r4 = H[8i..8i+8]                ld_imm64, little-endian u64 (2 slots)
 *        if r3 != r4 goto fail           off = (3-i)*4 + 1, lands on instruction 19
 *  18    goto +2                         lands on instruction 21, the loader's first
 *  19    fail: r0 = -74
 *  20    exit
 * </pre>
 * It leaves {@code r1} (the loader's context pointer) untouched: the loader starts with {@code r6 = r1}.
 * The immediate of a little-endian {@code ld_imm64} holds the hash bytes verbatim.
 */
public final class LoaderHashV1 {
    public static final String NAME = "LoaderHashV1";
    public static final int PROLOGUE_INSTRUCTIONS = 21;
    public static final int INSTRUCTION_SIZE = 8;
    public static final int PROLOGUE_BYTES = PROLOGUE_INSTRUCTIONS * INSTRUCTION_SIZE;
    /** What the prologue returns when the metadata map's hash differs: {@code -EBADMSG}. */
    public static final int MISMATCH_RETURN = -74;

    private static final byte LD_IMM64 = 0x18;       // BPF_LD | BPF_DW | BPF_IMM
    private static final byte LDX_MEM_DW = 0x79;     // BPF_LDX | BPF_MEM | BPF_DW
    private static final byte JNE_X = 0x5d;          // BPF_JMP | BPF_JNE | BPF_X
    private static final byte JA = 0x05;             // BPF_JMP | BPF_JA
    private static final byte MOV64_K = (byte) 0xb7; // BPF_ALU64 | BPF_MOV | BPF_K
    private static final byte EXIT = (byte) 0x95;    // BPF_JMP | BPF_EXIT
    private static final int PSEUDO_MAP_IDX = 5;
    private static final int FAIL_INSTRUCTION = 19;

    private LoaderHashV1() {
    }

    /** The 21-instruction prologue {@code P(H)} for a metadata hash {@code H}. */
    public static byte[] prologue(byte[] metadataSha256) {
        if (metadataSha256 == null || metadataSha256.length != Sha256.LENGTH) {
            throw new IllegalArgumentException("the prologue embeds a 32-byte SHA-256, got "
                    + (metadataSha256 == null ? "none" : metadataSha256.length + " bytes"));
        }
        ByteBuffer out = ByteBuffer.allocate(PROLOGUE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        instruction(out, LD_IMM64, 2, PSEUDO_MAP_IDX, 0, 0);
        instruction(out, (byte) 0, 0, 0, 0, 0);
        for (int i = 0; i < 4; i++) {
            instruction(out, LDX_MEM_DW, 3, 2, 8 * i, 0);
            ByteBuffer word = ByteBuffer.wrap(metadataSha256, 8 * i, 8).order(ByteOrder.LITTLE_ENDIAN);
            instruction(out, LD_IMM64, 4, 0, 0, word.getInt());
            instruction(out, (byte) 0, 0, 0, 0, word.getInt());
            int jumpAt = 5 + 4 * i;
            instruction(out, JNE_X, 3, 4, FAIL_INSTRUCTION - (jumpAt + 1), 0);
        }
        instruction(out, JA, 0, 0, 2, 0);
        instruction(out, MOV64_K, 0, 0, 0, MISMATCH_RETURN);
        instruction(out, EXIT, 0, 0, 0, 0);
        return out.array();
    }

    /** {@code P(SHA-256(M)) || L0}: the loader that gets signed and loaded. */
    public static byte[] signedLoader(byte[] unsignedLoader, byte[] metadata) {
        requireInstructions(unsignedLoader);
        byte[] prologue = prologue(Sha256.digest(metadata));
        byte[] loader = Arrays.copyOf(prologue, prologue.length + unsignedLoader.length);
        System.arraycopy(unsignedLoader, 0, loader, prologue.length, unsignedLoader.length);
        return loader;
    }

    /** Whether {@code signedLoader} starts with exactly {@code P(H)} and has instructions after it. */
    public static boolean startsWithPrologue(byte[] signedLoader, byte[] metadataSha256) {
        if (signedLoader == null || signedLoader.length <= PROLOGUE_BYTES) {
            return false;
        }
        return Arrays.equals(signedLoader, 0, PROLOGUE_BYTES, prologue(metadataSha256), 0, PROLOGUE_BYTES);
    }

    /** {@code L0} for compatibility mode on kernels without map hashes; refuses a loader without {@code P(H)}. */
    public static byte[] stripPrologue(byte[] signedLoader, byte[] metadataSha256) {
        if (!startsWithPrologue(signedLoader, metadataSha256)) {
            throw new IllegalArgumentException("loader does not start with the " + NAME
                    + " prologue for metadata hash " + java.util.HexFormat.of().formatHex(metadataSha256));
        }
        return Arrays.copyOfRange(signedLoader, PROLOGUE_BYTES, signedLoader.length);
    }

    private static void requireInstructions(byte[] loader) {
        if (loader == null || loader.length == 0 || loader.length % INSTRUCTION_SIZE != 0) {
            throw new IllegalArgumentException("loader instructions must be a non-empty multiple of "
                    + INSTRUCTION_SIZE + " bytes, got " + (loader == null ? "none" : loader.length));
        }
    }

    private static void instruction(ByteBuffer out, byte opcode, int dst, int src, int offset, int imm) {
        out.put(opcode);
        out.put((byte) ((src << 4) | dst));
        out.putShort((short) offset);
        out.putInt(imm);
    }
}
