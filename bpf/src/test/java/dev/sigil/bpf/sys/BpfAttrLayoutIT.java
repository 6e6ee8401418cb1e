package dev.sigil.bpf.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.testing.CLayouts;
import dev.sigil.bpf.testing.CLayouts.Mirror;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Modifier;
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
            new Mirror(BpfAttr.ENABLE_STATS, "union bpf_attr", "enable_stats", true),
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
        enumConstants(BpfStatsType.class, "BPF_", expressions);
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
        assertThat(CLayouts.assertFieldsMatch(MIRRORS, c)).as("fields checked").isGreaterThan(185);
    }

    /** Every field the bridge reads or writes, as located once in BpfAttr's nested classes. */
    private static List<AttrField> declaredFields() throws IllegalAccessException {
        List<AttrField> fields = new ArrayList<>();
        for (Class<?> nested : BpfAttrFields.class.getDeclaredClasses()) {
            for (java.lang.reflect.Field constant : nested.getDeclaredFields()) {
                if (Modifier.isStatic(constant.getModifiers()) && AttrField.class.isAssignableFrom(constant.getType())) {
                    constant.setAccessible(true);
                    fields.add((AttrField) constant.get(null));
                }
            }
        }
        return fields;
    }

    @Test
    void everyFieldTheBridgeUsesSitsAtTheKernelsOffset() throws IllegalAccessException {
        List<AttrField> fields = declaredFields();
        for (AttrField field : fields) {
            Mirror mirror = MIRRORS.stream().filter(candidate -> candidate.layout() == field.layout()).findFirst()
                    .orElseThrow(() -> new AssertionError(field + " belongs to no mirrored layout"));
            assertThat(field.offset()).as("%s.%s", mirror.name(), field.path())
                    .isEqualTo(c.get(CLayouts.offsetOf(mirror, field.path())));
            long width = switch (field) {
                case AttrField.U32 u32 -> 4;
                case AttrField.U64 u64 -> 8;
                case AttrField.Chars chars -> chars.length();
            };
            assertThat(width).as("size of %s.%s", mirror.name(), field.path())
                    .isEqualTo(c.get(CLayouts.sizeOf(mirror, field.path())));
        }
        assertThat(fields).as("fields the bridge uses").hasSizeGreaterThan(70);
    }

    @Test
    void fieldsWriteOnlyTheirOwnBytes() throws IllegalAccessException {
        for (AttrField field : declaredFields()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment segment = arena.allocate(field.layout());
                long width = switch (field) {
                    case AttrField.U32 u32 -> {
                        u32.set(segment, -1);
                        yield 4;
                    }
                    case AttrField.U64 u64 -> {
                        u64.set(segment, -1L);
                        yield 8;
                    }
                    case AttrField.Chars chars -> {
                        chars.name(segment, "x".repeat(chars.length() + 4));
                        yield chars.length() - 1;
                    }
                };
                for (long i = 0; i < segment.byteSize(); i++) {
                    boolean inside = i >= field.offset() && i < field.offset() + width;
                    assertThat(segment.get(ValueLayout.JAVA_BYTE, i) != 0).as("%s byte %d", field.path(), i)
                            .isEqualTo(inside);
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
        assertEnum(BpfStatsType.class, "BPF_", BpfStatsType::code);
        assertThat(c.get("PERF_TYPE_TRACEPOINT")).isEqualTo(PerfEventRequest.TYPE_TRACEPOINT);
    }
}
