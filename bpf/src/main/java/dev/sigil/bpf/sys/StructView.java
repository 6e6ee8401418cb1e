package dev.sigil.bpf.sys;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads and writes one {@link BpfAttr} layout in a segment by C field name. Dotted names select named
 * members ({@code tcx.relative_fd}); members of unnamed groups are found as C finds anonymous-union
 * members. Each access checks the field's width, so a u32 can never be written into a u64 slot.
 */
final class StructView {
    private final MemorySegment segment;
    private final GroupLayout layout;

    StructView(MemorySegment segment, GroupLayout layout) {
        if (segment.byteSize() < layout.byteSize()) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is smaller than "
                    + layout.name().orElse("layout") + " (" + layout.byteSize() + ")");
        }
        this.segment = segment;
        this.layout = layout;
    }

    MemorySegment segment() {
        return segment;
    }

    StructView u32(String field, int value) {
        segment.set(ValueLayout.JAVA_INT, offset(field, 4), value);
        return this;
    }

    StructView u64(String field, long value) {
        segment.set(ValueLayout.JAVA_LONG, offset(field, 8), value);
        return this;
    }

    StructView address(String field, MemorySegment target) {
        return u64(field, target.address());
    }

    /** A NUL-terminated name, truncated to the field's width minus one, as the kernel expects. */
    StructView name(String field, String value) {
        Located located = locate(field);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int length = (int) Math.min(bytes.length, located.layout.byteSize() - 1);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, located.offset, length);
        return this;
    }

    int u32(String field) {
        return segment.get(ValueLayout.JAVA_INT, offset(field, 4));
    }

    long u64(String field) {
        return segment.get(ValueLayout.JAVA_LONG, offset(field, 8));
    }

    byte[] bytes(String field) {
        Located located = locate(field);
        return segment.asSlice(located.offset, located.layout.byteSize()).toArray(ValueLayout.JAVA_BYTE);
    }

    String string(String field) {
        byte[] raw = bytes(field);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(Arrays.copyOf(raw, end), StandardCharsets.UTF_8);
    }

    private long offset(String field, long width) {
        Located located = locate(field);
        if (located.layout.byteSize() != width) {
            throw new IllegalArgumentException(layout.name().orElse("layout") + "." + field + " is "
                    + located.layout.byteSize() + " bytes wide, not " + width);
        }
        return located.offset;
    }

    private record Located(long offset, MemoryLayout layout) {
    }

    private Located locate(String field) {
        return locate(layout, 0, field).orElseThrow(() -> new IllegalArgumentException(
                layout.name().orElse("layout") + " has no field " + field));
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
