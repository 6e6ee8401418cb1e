package dev.sigil.bpf.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.kernel.VmlinuxBtf.Kind;
import dev.sigil.bpf.testing.CLayouts.Mirror;
import dev.sigil.bpf.testing.CLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BTF layouts {@link VmlinuxBtf} walks, checked against the running kernel's own {@code btf.h} types
 * (dumped by bpftool, compiled with gcc), and the walk itself against this kernel's BTF.
 */
class VmlinuxBtfLayoutIT {
    private static final List<Mirror> MIRRORS = List.of(
            new Mirror(VmlinuxBtf.HEADER, "struct btf_header", "", true),
            new Mirror(VmlinuxBtf.TYPE, "struct btf_type", "", true));

    /** The C record each kind is followed by (once, or once per vlen member); empty where none. */
    private static final Map<Kind, String> TRAILING = Map.ofEntries(
            Map.entry(Kind.INT, "sizeof(__u32)"), Map.entry(Kind.ARRAY, "sizeof(struct btf_array)"),
            Map.entry(Kind.STRUCT, "sizeof(struct btf_member)"), Map.entry(Kind.UNION, "sizeof(struct btf_member)"),
            Map.entry(Kind.ENUM, "sizeof(struct btf_enum)"), Map.entry(Kind.FUNC_PROTO, "sizeof(struct btf_param)"),
            Map.entry(Kind.VAR, "sizeof(struct btf_var)"), Map.entry(Kind.DATASEC, "sizeof(struct btf_var_secinfo)"),
            Map.entry(Kind.DECL_TAG, "sizeof(struct btf_decl_tag)"), Map.entry(Kind.ENUM64, "sizeof(struct btf_enum64)"));

    /** A line of bpftool's raw dump: "[11318] TYPEDEF 'btf_trace_sys_enter' type_id=11319". */
    private static final Pattern RAW_ENTRY = Pattern.compile("\\[(\\d+)] (FUNC|TYPEDEF) '([^']+)'");

    @TempDir
    Path work;

    @Test
    void layoutsAndKindsMatchTheKernelsBtfHeader() throws Exception {
        CLayouts.run(work, List.of("bpftool", "btf", "dump", "file", VmlinuxBtf.KERNEL_BTF.toString(), "format", "c"),
                work.resolve("vmlinux.h"));
        List<String> expressions = new ArrayList<>(CLayouts.expressions(MIRRORS));
        expressions.addAll(TRAILING.values());
        for (Kind kind : Kind.values()) {
            expressions.add("BTF_KIND_" + kind.name());
        }
        Map<String, Long> c = CLayouts.evaluate(work, "#include \"vmlinux.h\"", expressions);

        assertThat(CLayouts.assertFieldsMatch(MIRRORS, c)).as("fields checked").isEqualTo(11);
        for (Kind kind : Kind.values()) {
            assertThat(c.get("BTF_KIND_" + kind.name())).as("BTF_KIND_%s", kind).isEqualTo((long) kind.code);
            long trailing = TRAILING.containsKey(kind) ? c.get(TRAILING.get(kind)) : 0;
            assertThat(kind.fixedBytes + kind.bytesPerMember).as("bytes after a %s type", kind).isEqualTo(trailing);
        }
    }

    @Test
    void findsTheSameIdsAsBpftool() throws Exception {
        Path raw = work.resolve("btf.txt");
        CLayouts.run(work, List.of("bpftool", "btf", "dump", "file", VmlinuxBtf.KERNEL_BTF.toString(), "format", "raw"),
                raw);
        // The first id under each kind and name, as VmlinuxBtf finds it.
        Map<String, Integer> first = new HashMap<>();
        String lastFunction = null;
        for (String line : Files.readAllLines(raw)) {
            Matcher entry = RAW_ENTRY.matcher(line);
            if (entry.lookingAt()) {
                first.putIfAbsent(entry.group(2) + " " + entry.group(3), Integer.parseInt(entry.group(1)));
                lastFunction = entry.group(2).equals("FUNC") ? entry.group(3) : lastFunction;
            }
        }

        Path btf = VmlinuxBtf.KERNEL_BTF;

        assertThat(VmlinuxBtf.find(btf, Kind.TYPEDEF, "btf_trace_sys_enter"))
                .hasValue(first.get("TYPEDEF btf_trace_sys_enter"));
        assertThat(VmlinuxBtf.find(btf, Kind.FUNC, lastFunction)).as("the last function, found only by a walk over every type")
                .hasValue(first.get("FUNC " + lastFunction));
        assertThat(VmlinuxBtf.find(btf, Kind.FUNC, "sigil_no_such_function")).isEmpty();
        assertThat(VmlinuxBtf.find(btf, Kind.FUNC, "btf_trace_sys_enter")).as("a typedef's name is not a function's")
                .isEmpty();
    }

}
