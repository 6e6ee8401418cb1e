package dev.sigil.bpf.loader;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.StructLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The light-skeleton loader's context, the one thing passed to it as BPF_PROG_RUN's {@code ctx_in}
 * (libbpf {@code skel_internal.h}): a {@code struct bpf_loader_ctx} header, then one
 * {@code struct bpf_map_desc} per map, then one {@code struct bpf_prog_desc} per program, in skeleton
 * order. The loader writes the fds it creates back into the same bytes. Zero max_entries and
 * initial_value make it use the signed values from the metadata. Public so a fake kernel can play the
 * loader's part with the same layout.
 */
public final class LoaderContext {
    static final StructLayout HEADER = structLayout(
            JAVA_INT.withName("sz"), JAVA_INT.withName("flags"), JAVA_INT.withName("log_level"),
            JAVA_INT.withName("log_size"), JAVA_LONG.withName("log_buf")).withName("bpf_loader_ctx");
    static final StructLayout MAP_DESC = structLayout(
            JAVA_INT.withName("map_fd"), JAVA_INT.withName("max_entries"), JAVA_LONG.withName("initial_value"))
            .withName("bpf_map_desc");
    static final StructLayout PROG_DESC = structLayout(JAVA_INT.withName("prog_fd")).withName("bpf_prog_desc");

    private final int maps;
    private final int programs;

    public LoaderContext(int maps, int programs) {
        this.maps = maps;
        this.programs = programs;
    }

    public int size() {
        return (int) (HEADER.byteSize() + maps * MAP_DESC.byteSize() + programs * PROG_DESC.byteSize());
    }

    /** The context for one run; {@code logLevel} 0 leaves the log fields empty. */
    byte[] build(int logLevel, int logSize, long logBuffer) {
        ByteBuffer context = ByteBuffer.allocate(size()).order(ByteOrder.nativeOrder());
        context.putInt(offset(HEADER, "sz"), size());
        if (logLevel > 0) {
            context.putInt(offset(HEADER, "log_level"), logLevel)
                    .putInt(offset(HEADER, "log_size"), logSize)
                    .putLong(offset(HEADER, "log_buf"), logBuffer);
        }
        return context.array();
    }

    /** Where the loader writes the fd of the map at {@code index}. */
    public int mapFdOffset(int index) {
        return (int) (HEADER.byteSize() + index * MAP_DESC.byteSize()) + offset(MAP_DESC, "map_fd");
    }

    /** Where the loader writes the fd of the program at {@code index}. */
    public int programFdOffset(int index) {
        return (int) (HEADER.byteSize() + maps * MAP_DESC.byteSize() + index * PROG_DESC.byteSize())
                + offset(PROG_DESC, "prog_fd");
    }

    int mapFd(byte[] context, int index) {
        return ByteBuffer.wrap(context).order(ByteOrder.nativeOrder()).getInt(mapFdOffset(index));
    }

    int programFd(byte[] context, int index) {
        return ByteBuffer.wrap(context).order(ByteOrder.nativeOrder()).getInt(programFdOffset(index));
    }

    private static int offset(StructLayout layout, String field) {
        return (int) layout.byteOffset(groupElement(field));
    }
}
