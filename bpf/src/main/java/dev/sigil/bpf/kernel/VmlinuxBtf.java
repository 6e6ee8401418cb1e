package dev.sigil.bpf.kernel;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.StructLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

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
     * The id of the {@code kind} entry named {@code name}, walking the type section only as far as it.
     * Names are compared in place, as bytes: no other entry's name is decoded, nothing else is kept.
     */
    static OptionalInt find(Path file, Kind kind, String name) throws IOException {
        if (kind != Kind.FUNC && kind != Kind.TYPEDEF) {
            throw new IllegalArgumentException("only FUNC and TYPEDEF entries are looked up by name, not " + kind);
        }
        ByteBuffer btf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        int magic = btf.getShort(offset(HEADER, "magic")) & 0xffff;
        if (magic != MAGIC) {
            throw new IOException(file + " is not BTF (magic " + Integer.toHexString(magic) + ")");
        }
        int headerLength = btf.getInt(offset(HEADER, "hdr_len"));
        int typeStart = headerLength + btf.getInt(offset(HEADER, "type_off"));
        int typeEnd = typeStart + btf.getInt(offset(HEADER, "type_len"));
        int strings = headerLength + btf.getInt(offset(HEADER, "str_off"));
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        int id = 1;
        for (int at = typeStart; at < typeEnd; id++) {
            int nameOffset = btf.getInt(at + offset(TYPE, "name_off"));
            int info = btf.getInt(at + offset(TYPE, "info"));
            Kind entry = Kind.of((info >>> 24) & 0x1f, file);
            if (entry == kind && nameOffset != 0 && named(btf, strings + nameOffset, wanted)) {
                return OptionalInt.of(id);
            }
            at += (int) TYPE.byteSize() + entry.fixedBytes + (info & 0xffff) * entry.bytesPerMember;
        }
        return OptionalInt.empty();
    }

    private static int offset(StructLayout layout, String field) {
        return (int) layout.byteOffset(groupElement(field));
    }

    /** Whether the NUL-terminated string at {@code offset} is exactly {@code wanted}. */
    private static boolean named(ByteBuffer btf, int offset, byte[] wanted) {
        if (offset + wanted.length >= btf.limit() || btf.get(offset + wanted.length) != 0) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (btf.get(offset + i) != wanted[i]) {
                return false;
            }
        }
        return true;
    }
}
