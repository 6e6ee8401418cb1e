package dev.sigil.bpf.sys;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * One field of a {@link BpfAttr} layout, found once, when the layout's fields are declared, by its C name:
 * every access after that is a read or write at a fixed offset. Dotted names select named members
 * ({@code tcx.relative_fd}); members of unnamed groups are found as C finds anonymous-union members. Each kind
 * is checked against the field's width when it is located, so a u32 can never be written into a u64 slot.
 */
sealed interface AttrField {
    /** The layout the field belongs to. */
    GroupLayout layout();

    /** The field's C name within its layout, e.g. {@code kprobe_multi.cnt}. */
    String path();

    /** Its byte offset from the start of the layout. */
    long offset();

    /** A 4-byte field. */
    record U32(GroupLayout layout, String path, long offset) implements AttrField {
        void set(MemorySegment struct, int value) {
            struct.set(ValueLayout.JAVA_INT, offset, value);
        }

        int get(MemorySegment struct) {
            return struct.get(ValueLayout.JAVA_INT, offset);
        }
    }

    /** An 8-byte field: a number or a user-space address. */
    record U64(GroupLayout layout, String path, long offset) implements AttrField {
        void set(MemorySegment struct, long value) {
            struct.set(ValueLayout.JAVA_LONG, offset, value);
        }

        void address(MemorySegment struct, MemorySegment target) {
            set(struct, target.address());
        }

        long get(MemorySegment struct) {
            return struct.get(ValueLayout.JAVA_LONG, offset);
        }
    }

    /** A fixed-size char array: object names, tags. */
    record Chars(GroupLayout layout, String path, long offset, int length) implements AttrField {
        /** A NUL-terminated name, truncated to the field's width minus one, as the kernel expects. */
        void name(MemorySegment struct, String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(bytes, 0, struct, ValueLayout.JAVA_BYTE, offset, Math.min(bytes.length, length - 1));
        }

        byte[] bytes(MemorySegment struct) {
            return struct.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        }

        /** The text up to the first NUL. */
        String string(MemorySegment struct) {
            byte[] raw = bytes(struct);
            int end = 0;
            while (end < raw.length && raw[end] != 0) {
                end++;
            }
            return new String(Arrays.copyOf(raw, end), StandardCharsets.UTF_8);
        }
    }

    static U32 u32(GroupLayout layout, String path) {
        return new U32(layout, path, locate(layout, path, ValueLayout.OfInt.class).offset());
    }

    static U64 u64(GroupLayout layout, String path) {
        return new U64(layout, path, locate(layout, path, ValueLayout.OfLong.class).offset());
    }

    static Chars chars(GroupLayout layout, String path) {
        Located located = locate(layout, path, SequenceLayout.class);
        return new Chars(layout, path, located.offset(), (int) located.layout().byteSize());
    }

    record Located(long offset, MemoryLayout layout) {
    }

    private static Located locate(GroupLayout layout, String path, Class<? extends MemoryLayout> kind) {
        String name = layout.name().orElse("layout");
        Located located = locate(layout, 0, path)
                .orElseThrow(() -> new IllegalArgumentException(name + " has no field " + path));
        if (!kind.isInstance(located.layout())) {
            throw new IllegalArgumentException(name + "." + path + " is " + located.layout() + ", not a "
                    + kind.getSimpleName());
        }
        return located;
    }

    private static Optional<Located> locate(GroupLayout group, long base, String path) {
        int dot = path.indexOf('.');
        String head = dot < 0 ? path : path.substring(0, dot);
        long offset = base;
        for (MemoryLayout member : group.memberLayouts()) {
            long memberOffset = group instanceof StructLayout ? offset : base;
            if (member.name().filter(head::equals).isPresent()) {
                if (dot < 0) {
                    return Optional.of(new Located(memberOffset, member));
                }
                if (member instanceof GroupLayout nested) {
                    return locate(nested, memberOffset, path.substring(dot + 1));
                }
                return Optional.empty();
            }
            if (member.name().isEmpty() && member instanceof GroupLayout anonymous) {
                Optional<Located> found = locate(anonymous, memberOffset, path);
                if (found.isPresent()) {
                    return found;
                }
            }
            offset += member.byteSize();
        }
        return Optional.empty();
    }
}
