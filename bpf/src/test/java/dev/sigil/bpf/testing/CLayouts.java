package dev.sigil.bpf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks Java memory layouts against the C compiler's own reading of a header: gcc compiles a program
 * printing offsetof and sizeof for every field a layout names, and each number must agree.
 */
public final class CLayouts {
    private CLayouts() {
    }

    /**
     * Which C object a layout mirrors: {@code cType} and the member path under it ({@code ""} for an
     * anonymous member of a union, or the type itself). {@code whole}: the layout must match the C size
     * exactly; otherwise it may stop early (the kernel copies only what it is given).
     */
    public record Mirror(GroupLayout layout, String cType, String cMember, boolean whole) {
        public String name() {
            return layout.name().orElseThrow();
        }
    }

    /** A named value field of a layout, its dotted path from the top, and its offset. */
    public record Field(String path, MemoryLayout layout, long offset) {
    }

    /** Every named value field; unnamed groups are C's anonymous unions and structs. */
    public static List<Field> fields(GroupLayout group) {
        List<Field> out = new ArrayList<>();
        fields(group, "", 0, out);
        return out;
    }

    private static void fields(GroupLayout group, String prefix, long base, List<Field> out) {
        long offset = base;
        for (MemoryLayout member : group.memberLayouts()) {
            long at = group instanceof StructLayout ? offset : base;
            if (member instanceof GroupLayout nested) {
                fields(nested, member.name().map(name -> prefix + name + ".").orElse(prefix), at, out);
            } else if (!(member instanceof PaddingLayout)) {
                out.add(new Field(prefix + member.name().orElseThrow(), member, at));
            }
            offset += member.byteSize();
        }
    }

    public static String offsetOf(Mirror mirror, String field) {
        return "__builtin_offsetof(" + mirror.cType() + ", " + member(mirror, field) + ")";
    }

    public static String sizeOf(Mirror mirror, String field) {
        return sizeOf(mirror.cType(), member(mirror, field));
    }

    public static String sizeOfWhole(Mirror mirror) {
        return sizeOf(mirror.cType(), mirror.cMember());
    }

    private static String sizeOf(String cType, String member) {
        return member.isEmpty() ? "sizeof(" + cType + ")" : "sizeof(((" + cType + " *)0)->" + member + ")";
    }

    private static String member(Mirror mirror, String field) {
        return mirror.cMember().isEmpty() ? field : mirror.cMember() + "." + field;
    }

    /** The offsetof/sizeof expressions for every field of every mirror, and sizeof for the whole ones. */
    public static List<String> expressions(List<Mirror> mirrors) {
        List<String> expressions = new ArrayList<>();
        for (Mirror mirror : mirrors) {
            for (Field field : fields(mirror.layout())) {
                expressions.add(offsetOf(mirror, field.path()));
                expressions.add(sizeOf(mirror, field.path()));
            }
            if (mirror.whole()) {
                expressions.add(sizeOfWhole(mirror));
            }
        }
        return expressions;
    }

    /** Asserts every field's offset and size; returns how many fields were checked. */
    public static int assertFieldsMatch(List<Mirror> mirrors, Map<String, Long> c) {
        int checked = 0;
        for (Mirror mirror : mirrors) {
            for (Field field : fields(mirror.layout())) {
                assertThat(c.get(offsetOf(mirror, field.path()))).as("offset of %s in %s", field.path(), mirror.name())
                        .isEqualTo(field.offset());
                assertThat(c.get(sizeOf(mirror, field.path()))).as("size of %s in %s", field.path(), mirror.name())
                        .isEqualTo(field.layout().byteSize());
                checked++;
            }
            if (mirror.whole()) {
                assertThat(c.get(sizeOfWhole(mirror))).as("sizeof %s %s", mirror.cType(), mirror.cMember())
                        .isEqualTo(mirror.layout().byteSize());
            }
        }
        return checked;
    }

    /**
     * Compiles {@code prelude} (includes) and a main printing each expression's value as a long, runs it,
     * and returns expression → value. {@code work}: a scratch directory (the sources and gcc's output).
     */
    public static Map<String, Long> evaluate(Path work, String prelude, List<String> expressions)
            throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder(prelude).append("\nint printf(const char *, ...);\nint main(void) {\n");
        for (String expression : expressions) {
            c.append("  printf(\"%s=%ld\\n\", \"").append(expression).append("\", (long) (").append(expression)
                    .append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path source = work.resolve("layouts.c");
        Files.writeString(source, c);
        Path binary = work.resolve("layouts");
        run(work, List.of("gcc", "-w", "-I", work.toString(), "-o", binary.toString(), source.toString()),
                work.resolve("gcc.out"));
        Path output = work.resolve("layouts.out");
        run(work, List.of(binary.toString()), output);
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(output)) {
            int eq = line.lastIndexOf('=');
            values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
        return values;
    }

    /** Runs a set-up command with its stdout to {@code stdout}, failing with its stderr. */
    public static void run(Path work, List<String> command, Path stdout) throws IOException, InterruptedException {
        Path stderr = work.resolve("stderr.log");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s exit status; stderr: %s", command,
                Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "").isZero();
    }
}
