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
 * loader's part with the same layout. Offsets are located by field name once, when the class loads.
 */
public final class LoaderContext {
    static final StructLayout HEADER = structLayout(
            JAVA_INT.withName("sz"), JAVA_INT.withName("flags"), JAVA_INT.withName("log_level"),
            JAVA_INT.withName("log_size"), JAVA_LONG.withName("log_buf")).withName("bpf_loader_ctx");
    static final StructLayout MAP_DESC = structLayout(
            JAVA_INT.withName("map_fd"), JAVA_INT.withName("max_entries"), JAVA_LONG.withName("initial_value"))
            .withName("bpf_map_desc");
    static final StructLayout PROG_DESC = structLayout(JAVA_INT.withName("prog_fd")).withName("bpf_prog_desc");

    private static final int HEADER_SIZE = (int) HEADER.byteSize();
    private static final int MAP_DESC_SIZE = (int) MAP_DESC.byteSize();
    private static final int PROG_DESC_SIZE = (int) PROG_DESC.byteSize();
    private static final int SZ = offset(HEADER, "sz");
    private static final int LOG_LEVEL = offset(HEADER, "log_level");
    private static final int LOG_SIZE = offset(HEADER, "log_size");
    private static final int LOG_BUF = offset(HEADER, "log_buf");
    private static final int MAP_FD = offset(MAP_DESC, "map_fd");
    private static final int PROG_FD = offset(PROG_DESC, "prog_fd");

    private final int maps;
    private final int programs;

    public LoaderContext(int maps, int programs) {
        this.maps = maps;
        this.programs = programs;
    }

    public int size() {
        return HEADER_SIZE + maps * MAP_DESC_SIZE + programs * PROG_DESC_SIZE;
    }

    /** The context for one run; {@code logLevel} 0 leaves the log fields empty. */
    byte[] build(int logLevel, int logSize, long logBuffer) {
        ByteBuffer context = ByteBuffer.allocate(size()).order(ByteOrder.nativeOrder());
        context.putInt(SZ, size());
        if (logLevel > 0) {
            context.putInt(LOG_LEVEL, logLevel).putInt(LOG_SIZE, logSize).putLong(LOG_BUF, logBuffer);
        }
        return context.array();
    }

    /** Where the loader writes the fd of the map at {@code index}. */
    public int mapFdOffset(int index) {
        return HEADER_SIZE + index * MAP_DESC_SIZE + MAP_FD;
    }

    /** Where the loader writes the fd of the program at {@code index}. */
    public int programFdOffset(int index) {
        return HEADER_SIZE + maps * MAP_DESC_SIZE + index * PROG_DESC_SIZE + PROG_FD;
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
