package dev.sigil.bpf.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.testing.CLayouts;
import dev.sigil.bpf.testing.CLayouts.Field;
import dev.sigil.bpf.testing.CLayouts.Mirror;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks every {@link BpfAttr} layout and every enum constant against the running kernel: bpftool dumps
 * the kernel's own BTF as C ({@code vmlinux.h}, which carries the 6.18 UAPI types; Debian's
 * linux-libc-dev 6.1 header lacks excl_prog_hash, signature and map hash fields), gcc compiles a program
 * printing offsetof/sizeof for each field the Java side names, and the numbers must agree.
 */
class BpfAttrLayoutIT {
    /** Which C object each layout mirrors. */
    private static final List<Mirror> MIRRORS = List.of(
            new Mirror(BpfAttr.MAP_CREATE, "union bpf_attr", "", false),
            new Mirror(BpfAttr.MAP_ELEM, "union bpf_attr", "", false),
            new Mirror(BpfAttr.PROG_LOAD, "union bpf_attr", "", false),
            new Mirror(BpfAttr.OBJ, "union bpf_attr", "", false),
            new Mirror(BpfAttr.PROG_RUN, "union bpf_attr", "test", true),
            new Mirror(BpfAttr.GET_ID, "union bpf_attr", "", false),
            new Mirror(BpfAttr.INFO, "union bpf_attr", "info", true),
            new Mirror(BpfAttr.RAW_TRACEPOINT_OPEN, "union bpf_attr", "raw_tracepoint", true),
            new Mirror(BpfAttr.LINK_CREATE, "union bpf_attr", "link_create", false),
            new Mirror(BpfAttr.LINK_UPDATE, "union bpf_attr", "link_update", true),
            new Mirror(BpfAttr.LINK_DETACH, "union bpf_attr", "link_detach", true),
            new Mirror(BpfAttr.MAP_INFO, "struct bpf_map_info", "", true),
            new Mirror(BpfAttr.PROG_INFO, "struct bpf_prog_info", "", false),
            new Mirror(BpfAttr.LINK_INFO, "struct bpf_link_info", "", false),
            new Mirror(BpfAttr.PERF_EVENT_ATTR, "struct perf_event_attr", "", true));
    private static final Mirror PROG_LOAD = MIRRORS.get(2);
    private static final Mirror MAP_CREATE = MIRRORS.getFirst();

    private static Map<String, Long> c;

    @TempDir
    static Path work;

    @BeforeAll
    static void compileAgainstKernelBtf() throws Exception {
        CLayouts.run(work, List.of("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"),
                work.resolve("vmlinux.h"));
        List<String> expressions = new ArrayList<>(CLayouts.expressions(MIRRORS));
        expressions.add(CLayouts.offsetOf(PROG_LOAD, "keyring_id"));
        expressions.add(CLayouts.offsetOf(MAP_CREATE, "excl_prog_hash_size"));
        enumConstants(BpfCommand.class, "BPF_", expressions);
        enumConstants(ProgramType.class, "BPF_PROG_TYPE_", expressions);
        enumConstants(BpfAttachType.class, "BPF_", expressions);
        enumConstants(LinkType.class, "BPF_LINK_TYPE_", expressions);
        enumConstants(MapType.class, "BPF_MAP_TYPE_", expressions);
        expressions.add("PERF_TYPE_TRACEPOINT");
        c = CLayouts.evaluate(work, "#include \"vmlinux.h\"", expressions);
    }

    private static <E extends Enum<E>> void enumConstants(Class<E> type, String cPrefix, List<String> expressions) {
        for (E constant : type.getEnumConstants()) {
            expressions.add(cPrefix + constant.name());
        }
    }

    @Test
    void everyFieldSitsWhereTheKernelPutsIt() {
        assertThat(CLayouts.assertFieldsMatch(MIRRORS, c)).as("fields checked").isGreaterThan(200);
    }

    @Test
    void structViewWritesEachFieldAtTheKernelsOffset() {
        for (Mirror mirror : MIRRORS) {
            for (Field field : CLayouts.fields(mirror.layout())) {
                long offset = c.get(CLayouts.offsetOf(mirror, field.path()));
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment segment = arena.allocate(mirror.layout());
                    StructView view = new StructView(segment, mirror.layout());
                    switch (field.layout()) {
                        case ValueLayout.OfInt ignored -> {
                            view.u32(field.path(), 0x5167_11a1);
                            assertThat(segment.get(ValueLayout.JAVA_INT, offset)).as(field.path()).isEqualTo(0x5167_11a1);
                        }
                        case ValueLayout.OfLong ignored -> {
                            view.u64(field.path(), 0x5167_11a1_0000_0001L);
                            assertThat(segment.get(ValueLayout.JAVA_LONG, offset)).as(field.path())
                                    .isEqualTo(0x5167_11a1_0000_0001L);
                        }
                        case SequenceLayout ignored -> {
                            view.name(field.path(), "s");
                            assertThat(segment.get(ValueLayout.JAVA_BYTE, offset)).as(field.path()).isEqualTo((byte) 's');
                        }
                        default -> throw new AssertionError("unexpected layout of " + field.path() + ": " + field.layout());
                    }
                }
            }
        }
    }

    @Test
    void partialLayoutsStayWithinTheKernelsStruct() {
        assertThat(BpfAttr.PROG_LOAD.byteSize()).isEqualTo(c.get(CLayouts.offsetOf(PROG_LOAD, "keyring_id")) + 4);
        assertThat(BpfAttr.MAP_CREATE.byteSize())
                .isLessThanOrEqualTo(c.get(CLayouts.offsetOf(MAP_CREATE, "excl_prog_hash_size")) + 8);
    }

    private static <E extends Enum<E>> void assertEnum(Class<E> type, String cPrefix, ToIntFunction<E> code) {
        for (E constant : type.getEnumConstants()) {
            assertThat(c.get(cPrefix + constant.name())).as("%s%s", cPrefix, constant.name())
                    .isEqualTo((long) code.applyAsInt(constant));
        }
    }

    @Test
    void enumValuesMatchTheKernel() {
        assertEnum(BpfCommand.class, "BPF_", BpfCommand::code);
        assertEnum(ProgramType.class, "BPF_PROG_TYPE_", ProgramType::code);
        assertEnum(BpfAttachType.class, "BPF_", BpfAttachType::code);
        assertEnum(LinkType.class, "BPF_LINK_TYPE_", LinkType::code);
        assertEnum(MapType.class, "BPF_MAP_TYPE_", MapType::code);
        assertThat(c.get("PERF_TYPE_TRACEPOINT")).isEqualTo(PerfEventRequest.TYPE_TRACEPOINT);
    }
}
