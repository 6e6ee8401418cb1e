package dev.sigil.bpf.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.bpf.kernel.VmlinuxBtf.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup by name on BTF files written here, larger than the 64 KiB window it reads through (the real kernel's
 * BTF against bpftool: {@link VmlinuxBtfLayoutIT}).
 */
class VmlinuxBtfTest {
    @TempDir
    Path work;

    /** A BTF file in the kernel's layout: header, then the type section, then the string section. */
    private static final class BtfWriter {
        private final ByteArrayOutputStream types = new ByteArrayOutputStream();
        private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
        private int nextId = 1;

        BtfWriter() {
            strings.write(0);
        }

        int string(String text) {
            int offset = strings.size();
            strings.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
            strings.write(0);
            return offset;
        }

        /** Adds a type with {@code members} vlen records after its fixed part; returns its id. */
        int type(Kind kind, int nameOffset, int members) {
            ByteBuffer entry = ByteBuffer.allocate(12 + kind.fixedBytes + members * kind.bytesPerMember)
                    .order(ByteOrder.nativeOrder());
            entry.putInt(nameOffset).putInt(kind.code << 24 | members).putInt(4);
            types.writeBytes(entry.array());
            return nextId++;
        }

        byte[] bytes() {
            ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
            header.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24)
                    .putInt(0).putInt(types.size()).putInt(types.size()).putInt(strings.size());
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            file.writeBytes(header.array());
            file.writeBytes(types.toByteArray());
            file.writeBytes(strings.toByteArray());
            return file.toByteArray();
        }
    }

    private Path write(BtfWriter btf) throws IOException {
        return Files.write(work.resolve("btf"), btf.bytes());
    }

    @Test
    void findsTheFirstEntryOfTheKindNamedExactlyPastManyWindows() throws IOException {
        BtfWriter btf = new BtfWriter();
        int longer = btf.string("bpf_fentry_test1_and_more");
        int suffix = btf.string("xbpf_fentry_test1");
        for (int i = 0; i < 20_000; i++) {
            btf.type(Kind.STRUCT, btf.string("struct_" + i), i % 4);
            btf.type(Kind.INT, 0, 0);
        }
        int wanted = btf.string("bpf_fentry_test1");
        btf.type(Kind.FUNC, longer, 0);
        btf.type(Kind.FUNC, suffix, 0);
        btf.type(Kind.TYPEDEF, wanted, 0);
        int function = btf.type(Kind.FUNC, wanted, 0);
        btf.type(Kind.FUNC, wanted, 0);
        Path file = write(btf);
        assertThat(Files.size(file)).isGreaterThan(8 * 64 * 1024);

        assertThat(VmlinuxBtf.find(file, Kind.FUNC, "bpf_fentry_test1")).hasValue(function);
        assertThat(VmlinuxBtf.find(file, Kind.TYPEDEF, "bpf_fentry_test1")).hasValue(function - 1);
        assertThat(VmlinuxBtf.find(file, Kind.FUNC, "bpf_fentry_test")).as("a prefix of a name").isEmpty();
        assertThat(VmlinuxBtf.find(file, Kind.FUNC, "struct_19999")).as("named, but not a function").isEmpty();
    }

    @Test
    void readsANameThatStraddlesTheWindowsEdge() throws IOException {
        BtfWriter btf = new BtfWriter();
        for (int i = 0; i < 6_000; i++) {
            btf.type(Kind.FUNC, btf.string("f" + i), 0);
        }
        // The string section is read from its start through a 64 KiB window: the name begins 5 bytes before the
        // first window's end and ends in the second.
        String name = "straddling_function";
        btf.string("p".repeat(64 * 1024 - 5 - btf.strings.size() - 1));
        int offset = btf.string(name);
        int function = btf.type(Kind.FUNC, offset, 0);
        Path file = write(btf);
        assertThat(offset).isEqualTo(64 * 1024 - 5);

        assertThat(VmlinuxBtf.find(file, Kind.FUNC, name)).hasValue(function);
        assertThat(VmlinuxBtf.find(file, Kind.FUNC, "f5999")).hasValue(6_000);
    }

    @Test
    void refusesATruncatedFileOrOneThatIsNotBtfNamingIt() throws IOException {
        BtfWriter btf = new BtfWriter();
        for (int i = 0; i < 100; i++) {
            btf.type(Kind.FUNC, btf.string("g" + i), 0);
        }
        byte[] whole = btf.bytes();
        Path truncated = Files.write(work.resolve("truncated"), Arrays.copyOf(whole, 24 + 50 * 12 + 6));
        assertThatThrownBy(() -> VmlinuxBtf.find(truncated, Kind.FUNC, "g7"))
                .isInstanceOf(IOException.class).hasMessageContaining(truncated.toString()).hasMessageContaining("ends at byte");

        byte[] notBtf = whole.clone();
        notBtf[0] = 0x7f;
        Path elf = Files.write(work.resolve("elf"), notBtf);
        assertThatThrownBy(() -> VmlinuxBtf.find(elf, Kind.FUNC, "g7"))
                .isInstanceOf(IOException.class).hasMessageContaining(elf + " is not BTF");
    }
}
