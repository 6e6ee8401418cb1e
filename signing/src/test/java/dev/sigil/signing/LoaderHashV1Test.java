package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LoaderHashV1Test {
    private static final byte[] HASH = Sha256.digest("metadata".getBytes());

    /** One decoded BPF instruction. */
    private record Insn(int opcode, int dst, int src, int off, int imm) {
    }

    private static Insn[] decode(byte[] code) {
        ByteBuffer in = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        Insn[] out = new Insn[code.length / 8];
        for (int i = 0; i < out.length; i++) {
            int opcode = in.get() & 0xff;
            int regs = in.get() & 0xff;
            out[i] = new Insn(opcode, regs & 0x0f, regs >> 4, in.getShort(), in.getInt());
        }
        return out;
    }

    /**
     * Runs the prologue over a fake {@code struct bpf_map} whose first 32 bytes are {@code mapSha}.
     * Returns the index execution falls through to, or the value it exits with, as {@code "exit:N"}.
     */
    private static String run(byte[] prologue, byte[] mapSha) {
        Insn[] insns = decode(prologue);
        long[] reg = new long[11];
        int pc = 0;
        while (pc < insns.length) {
            Insn insn = insns[pc];
            switch (insn.opcode()) {
                case 0x18 -> {
                    long low = insn.imm() & 0xffffffffL;
                    long high = (long) insns[pc + 1].imm() << 32;
                    reg[insn.dst()] = insn.src() == 5 ? -1 /* the map */ : high | low;
                    pc += 2;
                }
                case 0x79 -> {
                    assertThat(reg[insn.src()]).as("loads only through the map pointer").isEqualTo(-1);
                    reg[insn.dst()] = ByteBuffer.wrap(mapSha, insn.off(), 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    pc++;
                }
                case 0x5d -> pc += 1 + (reg[insn.dst()] != reg[insn.src()] ? insn.off() : 0);
                case 0x05 -> pc += 1 + insn.off();
                case 0xb7 -> {
                    reg[insn.dst()] = insn.imm();
                    pc++;
                }
                case 0x95 -> {
                    return "exit:" + reg[0];
                }
                default -> throw new AssertionError("unexpected opcode " + Integer.toHexString(insn.opcode()) + " at " + pc);
            }
        }
        return "fallthrough:" + pc;
    }

    @Test
    void prologueIsTwentyOneInstructions() {
        assertThat(LoaderHashV1.prologue(HASH)).hasSize(LoaderHashV1.PROLOGUE_INSTRUCTIONS * 8).hasSize(168);
    }

    @Test
    void prologueDecodesToTheDocumentedInstructions() {
        Insn[] insns = decode(LoaderHashV1.prologue(HASH));

        assertThat(insns[0]).isEqualTo(new Insn(0x18, 2, 5, 0, 0));
        assertThat(insns[1]).isEqualTo(new Insn(0, 0, 0, 0, 0));
        for (int i = 0; i < 4; i++) {
            int at = 2 + 4 * i;
            ByteBuffer word = ByteBuffer.wrap(HASH, 8 * i, 8).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(insns[at]).isEqualTo(new Insn(0x79, 3, 2, 8 * i, 0));
            assertThat(insns[at + 1]).isEqualTo(new Insn(0x18, 4, 0, 0, word.getInt()));
            assertThat(insns[at + 2]).isEqualTo(new Insn(0, 0, 0, 0, word.getInt()));
            assertThat(insns[at + 3]).isEqualTo(new Insn(0x5d, 3, 4, (3 - i) * 4 + 1, 0));
            assertThat(at + 3 + 1 + insns[at + 3].off()).as("jump %d lands on fail", i).isEqualTo(19);
        }
        assertThat(insns[18]).isEqualTo(new Insn(0x05, 0, 0, 2, 0));
        assertThat(18 + 1 + insns[18].off()).as("success jumps to the loader's first instruction").isEqualTo(21);
        assertThat(insns[19]).isEqualTo(new Insn(0xb7, 0, 0, 0, -74));
        assertThat(insns[20]).isEqualTo(new Insn(0x95, 0, 0, 0, 0));
    }

    @Test
    void prologueLeavesTheContextRegisterAlone() {
        assertThat(decode(LoaderHashV1.prologue(HASH)))
                .noneMatch(insn -> insn.opcode() != 0 && (insn.dst() == 1 || insn.src() == 1));
    }

    @Test
    void prologueEmbedsTheHashBytesVerbatimInItsImmediates() {
        byte[] prologue = LoaderHashV1.prologue(HASH);
        for (int i = 0; i < 4; i++) {
            int slot = (3 + 4 * i) * 8;
            assertThat(Arrays.copyOfRange(prologue, slot + 4, slot + 8)).isEqualTo(Arrays.copyOfRange(HASH, 8 * i, 8 * i + 4));
            assertThat(Arrays.copyOfRange(prologue, slot + 12, slot + 16))
                    .isEqualTo(Arrays.copyOfRange(HASH, 8 * i + 4, 8 * i + 8));
        }
    }

    @Test
    void prologueFallsThroughToTheLoaderWhenTheMapHashMatches() {
        assertThat(run(LoaderHashV1.prologue(HASH), HASH)).isEqualTo("fallthrough:21");
    }

    @Test
    void prologueReturnsEbadmsgWhenAnyWordOfTheMapHashDiffers() {
        for (int word = 0; word < 4; word++) {
            byte[] other = HASH.clone();
            other[word * 8 + 7] ^= 0x01;
            assertThat(run(LoaderHashV1.prologue(HASH), other)).as("word %d differs", word).isEqualTo("exit:-74");
        }
    }

    @Test
    void signedLoaderIsPrologueThenUnsignedLoader() {
        byte[] unsigned = new byte[] {(byte) 0xbf, 0x16, 0, 0, 0, 0, 0, 0};
        byte[] metadata = "metadata".getBytes();

        byte[] signed = LoaderHashV1.signedLoader(unsigned, metadata);

        assertThat(Arrays.copyOfRange(signed, 0, 168)).isEqualTo(LoaderHashV1.prologue(HASH));
        assertThat(Arrays.copyOfRange(signed, 168, signed.length)).isEqualTo(unsigned);
        assertThat(LoaderHashV1.startsWithPrologue(signed, HASH)).isTrue();
        assertThat(LoaderHashV1.stripPrologue(signed, HASH)).isEqualTo(unsigned);
    }

    @Test
    void recognisesOnlyThePrologueForTheSameHash() {
        byte[] signed = LoaderHashV1.signedLoader(new byte[8], "metadata".getBytes());
        byte[] otherHash = Sha256.digest("other".getBytes());

        assertThat(LoaderHashV1.startsWithPrologue(signed, otherHash)).isFalse();
        assertThat(LoaderHashV1.startsWithPrologue(LoaderHashV1.prologue(HASH), HASH)).as("prologue alone").isFalse();
        assertThatThrownBy(() -> LoaderHashV1.stripPrologue(signed, otherHash))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not start with the LoaderHashV1 prologue");
    }

    @Test
    void refusesLoadersThatAreNotWholeInstructions() {
        assertThatThrownBy(() -> LoaderHashV1.signedLoader(new byte[12], new byte[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 8");
        assertThatThrownBy(() -> LoaderHashV1.prologue(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-byte");
    }
}
