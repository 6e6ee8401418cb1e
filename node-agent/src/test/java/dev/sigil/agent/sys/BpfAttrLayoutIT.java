package dev.sigil.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    private static final Map<String, Long> C_VALUES = new LinkedHashMap<>();
    private static final List<String> EXPRESSIONS = new ArrayList<>();

    @TempDir
    static Path work;

    private record Field(String path, MemoryLayout layout, long offset) {
    }

    private static void fields(GroupLayout group, String prefix, long base, List<Field> out) {
        long offset = base;
        for (MemoryLayout member : group.memberLayouts()) {
            long at = group instanceof java.lang.foreign.StructLayout ? offset : base;
            if (member instanceof GroupLayout nested) {
                fields(nested, member.name().map(name -> prefix + name + ".").orElse(prefix), at, out);
            } else if (!(member instanceof PaddingLayout)) {
                out.add(new Field(prefix + member.name().orElseThrow(), member, at));
            }
            offset += member.byteSize();
        }
    }

    private static List<Field> fields(BpfAttr.Mirror mirror) {
        List<Field> out = new ArrayList<>();
        fields(mirror.layout(), "", 0, out);
        return out;
    }

    private static String member(BpfAttr.Mirror mirror, String field) {
        return mirror.cMember().isEmpty() ? field : mirror.cMember() + "." + field;
    }

    private static String cOffset(BpfAttr.Mirror mirror, String field) {
        return "__builtin_offsetof(" + mirror.cType() + ", " + member(mirror, field) + ")";
    }

    private static String cSize(String cType, String member) {
        return member.isEmpty() ? "sizeof(" + cType + ")" : "sizeof(((" + cType + " *)0)->" + member + ")";
    }

    private static <E extends Enum<E>> void enumConstants(Class<E> type, String cPrefix, StringBuilder c) {
        for (E constant : type.getEnumConstants()) {
            c.append("  printf(\"%s=%ld\\n\", \"").append(cPrefix).append(constant.name()).append("\", (long) ")
                    .append(cPrefix).append(constant.name()).append(");\n");
        }
    }

    @BeforeAll
    static void compileAgainstKernelBtf() throws Exception {
        Path header = work.resolve("vmlinux.h");
        run(List.of("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"), header);
        StringBuilder c = new StringBuilder("#include \"vmlinux.h\"\nint printf(const char *, ...);\nint main(void) {\n");
        for (BpfAttr.Mirror mirror : BpfAttr.MIRRORS) {
            for (Field field : fields(mirror)) {
                String offset = cOffset(mirror, field.path());
                String size = cSize(mirror.cType(), member(mirror, field.path()));
                c.append("  printf(\"%s=%ld\\n\", \"").append(offset).append("\", (long) ").append(offset).append(");\n");
                c.append("  printf(\"%s=%ld\\n\", \"").append(size).append("\", (long) ").append(size).append(");\n");
            }
            if (mirror.whole()) {
                String size = cSize(mirror.cType(), mirror.cMember());
                c.append("  printf(\"%s=%ld\\n\", \"").append(size).append("\", (long) ").append(size).append(");\n");
            }
        }
        enumConstants(BpfCommand.class, "BPF_", c);
        enumConstants(ProgramType.class, "BPF_PROG_TYPE_", c);
        enumConstants(BpfAttachType.class, "BPF_", c);
        enumConstants(LinkType.class, "BPF_LINK_TYPE_", c);
        enumConstants(MapType.class, "BPF_MAP_TYPE_", c);
        c.append("  return 0;\n}\n");
        Path source = work.resolve("layouts.c");
        Files.writeString(source, c);
        Path binary = work.resolve("layouts");
        run(List.of("gcc", "-w", "-o", binary.toString(), source.toString()), work.resolve("gcc.log"));
        Path output = work.resolve("layouts.out");
        run(List.of(binary.toString()), output);
        for (String line : Files.readAllLines(output)) {
            int eq = line.lastIndexOf('=');
            C_VALUES.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
    }

    private static void run(List<String> command, Path stdout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("stderr.log").toFile())).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s exit status; stderr: %s", command,
                Files.exists(work.resolve("stderr.log"))
                        ? Files.readString(work.resolve("stderr.log"), StandardCharsets.UTF_8) : "").isZero();
    }

    @Test
    void everyFieldSitsWhereTheKernelPutsIt() {
        int checked = 0;
        for (BpfAttr.Mirror mirror : BpfAttr.MIRRORS) {
            for (Field field : fields(mirror)) {
                assertThat(C_VALUES.get(cOffset(mirror, field.path())))
                        .as("offset of %s in %s", field.path(), mirror.layout().name().orElseThrow())
                        .isEqualTo(field.offset());
                assertThat(C_VALUES.get(cSize(mirror.cType(), member(mirror, field.path()))))
                        .as("size of %s in %s", field.path(), mirror.layout().name().orElseThrow())
                        .isEqualTo(field.layout() instanceof SequenceLayout sequence
                                ? sequence.byteSize() : field.layout().byteSize());
                assertThat(StructView.offsetOf(mirror.layout(), field.path())).contains(field.offset());
                checked++;
            }
        }
        assertThat(checked).as("fields checked").isGreaterThan(150);
    }

    @Test
    void completeLayoutsHaveTheKernelsSize() {
        for (BpfAttr.Mirror mirror : BpfAttr.MIRRORS) {
            if (mirror.whole()) {
                assertThat(C_VALUES.get(cSize(mirror.cType(), mirror.cMember())))
                        .as("sizeof %s %s", mirror.cType(), mirror.cMember())
                        .isEqualTo(mirror.layout().byteSize());
            }
        }
    }

    @Test
    void partialLayoutsStayWithinTheKernelsStruct() {
        assertThat(BpfAttr.PROG_LOAD.byteSize()).isEqualTo(
                C_VALUES.get(cOffset(BpfAttr.MIRRORS.get(2), "keyring_id")) + 4);
        assertThat(BpfAttr.MAP_CREATE.byteSize()).isLessThanOrEqualTo(
                C_VALUES.get(cOffset(BpfAttr.MIRRORS.get(0), "excl_prog_hash_size")) + 8);
    }

    private static <E extends Enum<E>> void assertEnum(Class<E> type, String cPrefix, ToIntFunction<E> code) {
        for (E constant : type.getEnumConstants()) {
            assertThat(C_VALUES.get(cPrefix + constant.name())).as("%s%s", cPrefix, constant.name())
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
    }
}
