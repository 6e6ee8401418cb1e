package dev.sigil.bpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Native memory for the arguments of system calls, taken from one buffer per thread instead of an arena
 * opened and closed around each call: a frame ({@link #open()}) hands out zeroed, 8-byte-aligned slices and
 * gives them all back when it closes. Frames nest (a call inside another call's frame gets the space after
 * it) and must close in reverse order, as try-with-resources does. What does not fit in the rest of the
 * buffer comes from an arena of the frame's own, closed with it. The buffer is freed once its thread is gone.
 */
final class CallMemory implements AutoCloseable {
    /** Holds a syscall's attribute block, the loader and metadata of an ordinary program, a path or two. */
    static final long BUFFER_SIZE = 64 * 1024;
    private static final long ALIGNMENT = 8;

    private static final class Buffer {
        final MemorySegment memory = Arena.ofAuto().allocate(BUFFER_SIZE, ALIGNMENT);
        long top;
    }

    private static final ThreadLocal<Buffer> THREAD_BUFFER = ThreadLocal.withInitial(Buffer::new);

    private final Buffer buffer;
    private final long mark;
    private Arena overflow;

    private CallMemory(Buffer buffer) {
        this.buffer = buffer;
        this.mark = buffer.top;
    }

    /** A frame on this thread's buffer; close it on the same thread. */
    static CallMemory open() {
        return new CallMemory(THREAD_BUFFER.get());
    }

    /** Zeroed memory for {@code layout}: the kernel refuses attribute blocks with stray non-zero bytes. */
    MemorySegment allocate(MemoryLayout layout) {
        return allocate(layout.byteSize());
    }

    /** {@code size} zeroed bytes. */
    MemorySegment allocate(long size) {
        return fromBuffer(size).map(memory -> memory.fill((byte) 0)).orElseGet(() -> fromOverflow(size));
    }

    /** The bytes in native memory, or NULL for none (the kernel reads a zero-length buffer from nowhere). */
    MemorySegment copy(byte[] data) {
        if (data.length == 0) {
            return MemorySegment.NULL;
        }
        MemorySegment memory = slice(data.length);
        MemorySegment.copy(data, 0, memory, JAVA_BYTE, 0, data.length);
        return memory;
    }

    /** {@code text} as a NUL-terminated UTF-8 C string. */
    MemorySegment string(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment memory = slice(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, memory, JAVA_BYTE, 0, bytes.length);
        memory.set(JAVA_BYTE, bytes.length, (byte) 0);
        return memory;
    }

    /** Memory whose every byte the caller writes. */
    private MemorySegment slice(long size) {
        return fromBuffer(size).orElseGet(() -> fromOverflow(size));
    }

    /** The next {@code size} bytes of the thread's buffer, if they fit; dirty, as earlier frames used them. */
    private Optional<MemorySegment> fromBuffer(long size) {
        long start = (buffer.top + ALIGNMENT - 1) & -ALIGNMENT;
        if (start + size > BUFFER_SIZE) {
            return Optional.empty();
        }
        buffer.top = start + size;
        return Optional.of(buffer.memory.asSlice(start, size));
    }

    /** Zeroed memory of the frame's own arena. */
    private MemorySegment fromOverflow(long size) {
        if (overflow == null) {
            overflow = Arena.ofConfined();
        }
        return overflow.allocate(size, ALIGNMENT);
    }

    @Override
    public void close() {
        buffer.top = mark;
        if (overflow != null) {
            overflow.close();
            overflow = null;
        }
    }
}
