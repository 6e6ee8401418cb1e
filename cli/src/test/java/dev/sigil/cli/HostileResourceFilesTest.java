package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile resource files through {@code sigil verify} and {@code sigil inspect} (issue 10, 1, 3 and 4): each is
 * refused as unreadable input (exit 2) with one line naming the file and what is wrong, before anything costly runs;
 * none is verified, none prints a stack trace.
 */
class HostileResourceFilesTest {
    @TempDir
    static Path dir;

    private static Path keys;
    private static String signed;

    @BeforeAll
    static void signTheExample() throws IOException {
        keys = Sigil.keygen(dir.resolve("keys"), "CN=Sigil hostile-input tests");
        Path resource = dir.resolve("counter.yaml");
        Sigil.Run sign = Sigil.run("sign", "--skeleton", Sigil.counterSkeleton(dir), "--key", keys.resolve("key.pem"),
                "--cert", keys.resolve("cert.pem"), "--name", "counter", "-o", resource);
        assertThat(sign.exitCode()).as(sign.err()).isZero();
        signed = Files.readString(resource);
    }

    static Stream<Arguments> hostileFiles() {
        return Stream.of(
                edited("a program named <valid>/x", yaml -> yaml.replace("- name: \"count_sys_enter\"",
                        "- name: \"count_sys_enter/x\""), "spec.programs[0].name: 'count_sys_enter/x' is 17 characters,"
                        + " more than the 15 allowed"),
                edited("a program named /../../..", yaml -> yaml.replace("- name: \"count_sys_enter\"",
                        "- name: \"/../../..\""), "spec.programs[0].name: '/../../..' is not a program name"),
                edited("a pinned map whose name leaves the pin root", yaml -> yaml.replace(
                        "- name: \"counts\"\n    pin: false", "- name: \"../../counts\"\n    pin: true"),
                        "spec.maps[0].name: '../../counts' is not a map name"),
                edited("a map name given twice", yaml -> yaml.replace("- name: \"data\"", "- name: \"counts\""),
                        "spec.maps[1].name: 'counts' is already the name of spec.maps[0]"),
                edited("programs: null", yaml -> yaml.replaceFirst("(?s)  programs:\n.*?\n  maps:", "  programs: null\n  maps:"),
                        "spec.programs is null: leave it out or give it a value"),
                edited("maps: null", yaml -> yaml.replaceFirst("(?s)  maps:\n.*?\n  intent:", "  maps: null\n  intent:"),
                        "spec.maps is null: leave it out or give it a value"),
                edited("a raw tracepoint without a name", yaml -> yaml.replaceFirst("rawTracepoint:\n\\s*name: \"sys_enter\"",
                        "rawTracepoint: {}"), "spec.programs[0].attach.rawTracepoint.name is required"),
                edited("10,000 levels of nesting", yaml -> yaml.replace("spec:\n", "deep: " + "[".repeat(10_000)
                        + "]".repeat(10_000) + "\nspec:\n"), "lists and maps nest more than 32 levels deep"),
                edited("a billion laughs", yaml -> yaml.replace("spec:\n", laughs() + "spec:\n"),
                        "a YAML alias of a list or map: the reader expands none"),
                edited("a generation beyond 64 bits", yaml -> yaml.replace("  name: \"counter\"\n",
                        "  name: \"counter\"\n  generation: 99999999999999999999\n"),
                        "metadata.generation is 99999999999999999999, beyond what a 64-bit integer holds"),
                Arguments.of("bytes that are not UTF-8", (FileWriter) file -> Files.write(file,
                        signed.replace("name: \"counter\"", "name: \"counter\u00e9\"").getBytes(StandardCharsets.ISO_8859_1)),
                        "not UTF-8 text: byte 0xe9 at offset"),
                Arguments.of("a 50 MB loader field", (FileWriter) HostileResourceFilesTest::writeFiftyMegabyteLoader,
                        "bytes; a SignedBpfProgram file holds at most 3145728"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void verifyAndInspectRefuseItInOneLine(String attack, FileWriter writer, String expected) throws IOException {
        Path file = dir.resolve(attack.replaceAll("[^a-z0-9]+", "-") + ".yaml");
        writer.write(file);

        for (String command : new String[] {"verify", "inspect"}) {
            Sigil.Run run = command.equals("verify") ? Sigil.run("verify", "--trust", keys.resolve("cert.pem"), file)
                    : Sigil.run("inspect", file);
            assertThat(run.exitCode()).as("%s %s: %s", command, attack, run.err()).isEqualTo(2);
            assertThat(run.err()).as(command).startsWith("sigil " + command + ": " + file + ": ").contains(expected)
                    .hasLineCount(1);
            assertThat(run.out()).as(command).isEmpty();
        }
    }

    @FunctionalInterface
    interface FileWriter {
        void write(Path file) throws IOException;
    }

    private static Arguments edited(String attack, UnaryOperator<String> edit, String expected) {
        return Arguments.of(attack, (FileWriter) file -> {
            String hostile = edit.apply(signed);
            assertThat(hostile).as("the edit for %s changed the file", attack).isNotEqualTo(signed);
            Files.writeString(file, hostile);
        }, expected);
    }

    private static String laughs() {
        StringBuilder laughs = new StringBuilder("lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            laughs.append("lol").append(i).append(": &lol").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*lol" + (i - 1)))).append("]\n");
        }
        return laughs.toString();
    }

    /** The signed example with its loader 50 MB long, written as a stream (the file, not the test, holds it). */
    private static void writeFiftyMegabyteLoader(Path file) throws IOException {
        int loader = signed.indexOf("loader: \"") + "loader: \"".length();
        byte[] chunk = "A".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(signed.substring(0, loader).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
            }
            out.write(signed.substring(signed.indexOf('"', loader)).getBytes(StandardCharsets.UTF_8));
        }
    }
}
