package dev.sigil.bpf.kernel;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.StructLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Type ids from the kernel's BTF ({@code /sys/kernel/btf/vmlinux}), which BTF-typed probe programs
 * (tp_btf, fentry, fexit, lsm) need as {@code attach_btf_id}. Only the byte layout of the BTF type
 * section is known here ({@code include/uapi/linux/btf.h}): enough to walk it to one FUNC or TYPEDEF
 * entry by name.
 */
final class VmlinuxBtf {
    static final Path KERNEL_BTF = Path.of("/sys/kernel/btf/vmlinux");

    /** {@code struct btf_header}: where the type and string sections are, relative to its end. */
    static final StructLayout HEADER = structLayout(
            JAVA_SHORT.withName("magic"), JAVA_BYTE.withName("version"), JAVA_BYTE.withName("flags"),
            JAVA_INT.withName("hdr_len"), JAVA_INT.withName("type_off"), JAVA_INT.withName("type_len"),
            JAVA_INT.withName("str_off"), JAVA_INT.withName("str_len")).withName("btf_header");
    /** {@code struct btf_type}: a name, an info word (kind in bits 24-28, vlen in bits 0-15), and a size or type. */
    static final StructLayout TYPE = structLayout(
            JAVA_INT.withName("name_off"), JAVA_INT.withName("info"), JAVA_INT.withName("size")).withName("btf_type");

    /** {@code enum btf_kind} values; the walk must know every kind to step over what follows each type. */
    enum Kind {
        INT(1, Integer.BYTES), PTR(2, 0), ARRAY(3, 12), STRUCT(4, 0, 12), UNION(5, 0, 12), ENUM(6, 0, 8), FWD(7, 0),
        TYPEDEF(8, 0), VOLATILE(9, 0), CONST(10, 0), RESTRICT(11, 0), FUNC(12, 0), FUNC_PROTO(13, 0, 8),
        VAR(14, Integer.BYTES), DATASEC(15, 0, 12), FLOAT(16, 0), DECL_TAG(17, Integer.BYTES), TYPE_TAG(18, 0),
        ENUM64(19, 0, 12);

        final int code;
        /** Bytes after the btf_type: a fixed record (btf_array, btf_var, btf_decl_tag, the int encoding)... */
        final int fixedBytes;
        /** ...plus vlen records (btf_member, btf_enum, btf_param, btf_var_secinfo, btf_enum64). */
        final int bytesPerMember;

        Kind(int code, int fixedBytes) {
            this(code, fixedBytes, 0);
        }

        Kind(int code, int fixedBytes, int bytesPerMember) {
            this.code = code;
            this.fixedBytes = fixedBytes;
            this.bytesPerMember = bytesPerMember;
        }

        static Kind of(int code, Path file) throws IOException {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IOException(file + ": unknown BTF kind " + code);
        }
    }

    private static final int MAGIC = 0xeb9f;

    private VmlinuxBtf() {
    }

    /**
     * The id of the {@code kind} entry named {@code name}, walking the type section only as far as it. The file
     * (5.5 MB on this machine) is read through a 64 KiB window, twice: the string section for where the name is
     * (as a whole NUL-terminated string), then the types for an entry of that kind naming one of those offsets.
     * Read whole, it would take a 5.5 MB array and, through NIO's per-thread cache of temporary direct buffers, as
     * much native memory again for good.
     */
    static OptionalInt find(Path file, Kind kind, String name) throws IOException {
        if (kind != Kind.FUNC && kind != Kind.TYPEDEF) {
            throw new IllegalArgumentException("only FUNC and TYPEDEF entries are looked up by name, not " + kind);
        }
        try (Window btf = new Window(file)) {
            int magic = btf.shortAt(offset(HEADER, "magic")) & 0xffff;
            if (magic != MAGIC) {
                throw new IOException(file + " is not BTF (magic " + Integer.toHexString(magic) + ")");
            }
            long headerLength = btf.intAt(offset(HEADER, "hdr_len"));
            long typeStart = headerLength + btf.intAt(offset(HEADER, "type_off"));
            long typeEnd = typeStart + btf.intAt(offset(HEADER, "type_len"));
            long strings = headerLength + btf.intAt(offset(HEADER, "str_off"));
            long stringsEnd = strings + btf.intAt(offset(HEADER, "str_len"));
            Set<Integer> nameOffsets = offsetsOf(btf, strings, stringsEnd, name.getBytes(StandardCharsets.US_ASCII));
            if (nameOffsets.isEmpty()) {
                return OptionalInt.empty();
            }
            int id = 1;
            for (long at = typeStart; at < typeEnd; id++) {
                int nameOffset = btf.intAt(at + offset(TYPE, "name_off"));
                int info = btf.intAt(at + offset(TYPE, "info"));
                Kind entry = Kind.of((info >>> 24) & 0x1f, file);
                if (entry == kind && nameOffsets.contains(nameOffset)) {
                    return OptionalInt.of(id);
                }
                at += TYPE.byteSize() + entry.fixedBytes + (long) (info & 0xffff) * entry.bytesPerMember;
            }
            return OptionalInt.empty();
        }
    }

    /** Where in the string section [start, end) {@code wanted} is a whole NUL-terminated string. */
    private static Set<Integer> offsetsOf(Window btf, long start, long end, byte[] wanted) throws IOException {
        Set<Integer> offsets = new HashSet<>();
        long stringStart = start;
        for (long at = start; at < end; at++) {
            if (btf.byteAt(at) == 0) {
                if (at - stringStart == wanted.length && spells(btf, stringStart, wanted)) {
                    offsets.add((int) (stringStart - start));
                }
                stringStart = at + 1;
            }
        }
        return offsets;
    }

    private static boolean spells(Window btf, long at, byte[] wanted) throws IOException {
        for (int i = 0; i < wanted.length; i++) {
            if (btf.byteAt(at + i) != wanted[i]) {
                return false;
            }
        }
        return true;
    }

    private static int offset(StructLayout layout, String field) {
        return (int) layout.byteOffset(groupElement(field));
    }

    /** A file read through a small off-heap window that moves to wherever it is read next. */
    private static final class Window implements AutoCloseable {
        private static final int SIZE = 64 * 1024;

        private final Path file;
        private final FileChannel channel;
        private final Arena arena = Arena.ofConfined();
        private final ByteBuffer buffer = arena.allocate(SIZE).asByteBuffer().order(ByteOrder.nativeOrder());
        private long start;

        Window(Path file) throws IOException {
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            buffer.limit(0);
        }

        byte byteAt(long position) throws IOException {
            return buffer.get(index(position, Byte.BYTES));
        }

        short shortAt(long position) throws IOException {
            return buffer.getShort(index(position, Short.BYTES));
        }

        int intAt(long position) throws IOException {
            return buffer.getInt(index(position, Integer.BYTES));
        }

        private int index(long position, int bytes) throws IOException {
            if (position < start || position + bytes > start + buffer.limit()) {
                buffer.clear();
                start = position;
                int read = 0;
                while (buffer.hasRemaining() && read >= 0) {
                    // A positional read moves the buffer's position, not the channel's; -1 is the end of the file.
                    read = channel.read(buffer, start + buffer.position());
                }
                buffer.flip();
                if (buffer.limit() < bytes) {
                    throw new IOException(file + " ends at byte " + (start + buffer.limit()) + ", inside its BTF");
                }
            }
            return (int) (position - start);
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                arena.close();
            }
        }
    }
}
