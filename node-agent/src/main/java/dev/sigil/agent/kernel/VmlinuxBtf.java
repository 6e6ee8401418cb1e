package dev.sigil.agent.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Type ids from the kernel's BTF ({@code /sys/kernel/btf/vmlinux}), which BTF-typed probe programs
 * (tp_btf, fentry, fexit, lsm) need as {@code attach_btf_id}. Only the byte layout of the BTF type
 * section is known here (include/uapi/linux/btf.h): enough to walk it and name FUNC and TYPEDEF entries.
 */
final class VmlinuxBtf {
    static final Path KERNEL_BTF = Path.of("/sys/kernel/btf/vmlinux");

    static final int KIND_TYPEDEF = 8;
    static final int KIND_FUNC = 12;

    private static final int MAGIC = 0xeb9f;
    private static final int TYPE_HEADER_SIZE = 12;

    private final Map<String, Integer> ids;

    private VmlinuxBtf(Map<String, Integer> ids) {
        this.ids = ids;
    }

    static VmlinuxBtf load(Path file) throws IOException {
        ByteBuffer btf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        if ((btf.getShort(0) & 0xffff) != MAGIC) {
            throw new IOException(file + " is not BTF (magic " + Integer.toHexString(btf.getShort(0) & 0xffff) + ")");
        }
        int headerLength = btf.getInt(4);
        int typeStart = headerLength + btf.getInt(8);
        int typeEnd = typeStart + btf.getInt(12);
        int strings = headerLength + btf.getInt(16);
        Map<String, Integer> ids = new HashMap<>();
        int id = 1;
        for (int at = typeStart; at < typeEnd; id++) {
            int nameOffset = btf.getInt(at);
            int info = btf.getInt(at + 4);
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            if ((kind == KIND_FUNC || kind == KIND_TYPEDEF) && nameOffset != 0) {
                ids.putIfAbsent(key(kind, string(btf, strings + nameOffset)), id);
            }
            at += TYPE_HEADER_SIZE + extraBytes(kind, vlen, file);
        }
        return new VmlinuxBtf(ids);
    }

    /** Bytes that follow the common 12-byte header for each BTF kind. */
    private static int extraBytes(int kind, int vlen, Path file) throws IOException {
        return switch (kind) {
            case 2, 7, 8, 9, 10, 11, 12, 16, 18 -> 0;       // PTR FWD TYPEDEF VOLATILE CONST RESTRICT FUNC FLOAT TYPE_TAG
            case 1, 14, 17 -> 4;                            // INT VAR DECL_TAG
            case 3 -> 12;                                   // ARRAY
            case 4, 5, 15, 19 -> 12 * vlen;                 // STRUCT UNION DATASEC ENUM64
            case 6, 13 -> 8 * vlen;                         // ENUM FUNC_PROTO
            default -> throw new IOException(file + ": unknown BTF kind " + kind);
        };
    }

    private static String string(ByteBuffer btf, int offset) {
        int end = offset;
        while (btf.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        btf.get(offset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String key(int kind, String name) {
        return kind + ":" + name;
    }

    OptionalInt function(String name) {
        Integer id = ids.get(key(KIND_FUNC, name));
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    OptionalInt typedef(String name) {
        Integer id = ids.get(key(KIND_TYPEDEF, name));
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }
}
