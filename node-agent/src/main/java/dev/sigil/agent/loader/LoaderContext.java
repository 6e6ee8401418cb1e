package dev.sigil.agent.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The light-skeleton loader's context, the one thing passed to it as BPF_PROG_RUN's {@code ctx_in}
 * (libbpf {@code skel_internal.h}): a 24-byte header {@code {u32 sz, flags, log_level, log_size;
 * u64 log_buf}}, then one 16-byte {@code {s32 map_fd; u32 max_entries; u64 initial_value}} per map,
 * then one 4-byte {@code {s32 prog_fd}} per program, in skeleton order. The loader writes the fds it
 * creates back into the same bytes. Zero max_entries and initial_value make it use the signed values
 * from the metadata.
 */
final class LoaderContext {
    static final int HEADER_SIZE = 24;
    static final int MAP_DESC_SIZE = 16;
    static final int PROG_DESC_SIZE = 4;

    private final int maps;
    private final int programs;

    LoaderContext(int maps, int programs) {
        this.maps = maps;
        this.programs = programs;
    }

    int size() {
        return HEADER_SIZE + maps * MAP_DESC_SIZE + programs * PROG_DESC_SIZE;
    }

    /** The context for one run; {@code logLevel} 0 leaves the log fields empty. */
    byte[] build(int logLevel, int logSize, long logBuffer) {
        ByteBuffer context = ByteBuffer.allocate(size()).order(ByteOrder.nativeOrder());
        context.putInt(0, size());
        if (logLevel > 0) {
            context.putInt(8, logLevel).putInt(12, logSize).putLong(16, logBuffer);
        }
        return context.array();
    }

    int mapFd(byte[] context, int index) {
        return ByteBuffer.wrap(context).order(ByteOrder.nativeOrder()).getInt(HEADER_SIZE + index * MAP_DESC_SIZE);
    }

    int programFd(byte[] context, int index) {
        return ByteBuffer.wrap(context).order(ByteOrder.nativeOrder())
                .getInt(HEADER_SIZE + maps * MAP_DESC_SIZE + index * PROG_DESC_SIZE);
    }
}
