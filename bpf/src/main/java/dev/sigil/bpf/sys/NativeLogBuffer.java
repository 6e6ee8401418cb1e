package dev.sigil.bpf.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** Off-heap log memory, shared so the thread that reads it need not be the one that allocated it. */
final class NativeLogBuffer implements LogBuffer {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;

    NativeLogBuffer(int size) {
        memory = arena.allocate(size);
    }

    @Override
    public long address() {
        return memory.address();
    }

    @Override
    public int size() {
        return (int) memory.byteSize();
    }

    @Override
    public String text() {
        return memory.getString(0, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
