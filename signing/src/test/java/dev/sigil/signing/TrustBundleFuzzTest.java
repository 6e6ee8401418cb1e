package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Coverage-guided fuzzing of {@link TrustBundleReader#read}, the reader behind the CLI, the agents and the
 * operator. An input is a bundle written as entries, each opened by a line {@code === NAME} (so the committed
 * corpus in {@code TrustBundleFuzzTestInputs/} stays readable); text before the first marker is the entry
 * {@code bundle.pem}. Every input must give a bundle or a one-line {@link KeyMaterialException}.
 */
class TrustBundleFuzzTest {
    private static final byte[] MARKER = "=== ".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest(maxDuration = FuzzBudget.DURATION)
    void everyBundleIsReadOrRefusedInOneLine(byte[] input) {
        try {
            TrustBundle bundle = TrustBundleReader.read(entries(input), "fuzzed bundle");
            assertThat(bundle.anchors()).isNotEmpty();
        } catch (KeyMaterialException e) {
            assertThat(e.getMessage()).startsWith("fuzzed bundle").doesNotContain("\n");
        }
    }

    static Map<String, byte[]> entries(byte[] input) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        String name = "bundle.pem";
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (int line = 0; line < input.length; ) {
            int end = line;
            while (end < input.length && input[end] != '\n') {
                end++;
            }
            int next = Math.min(end + 1, input.length);
            if (end - line >= MARKER.length && Arrays.equals(input, line, line + MARKER.length, MARKER, 0, MARKER.length)) {
                add(entries, name, content);
                name = new String(input, line + MARKER.length, end - line - MARKER.length, StandardCharsets.UTF_8).strip();
                content = new ByteArrayOutputStream();
            } else {
                content.write(input, line, next - line);
            }
            line = next;
        }
        add(entries, name, content);
        return entries;
    }

    private static void add(Map<String, byte[]> entries, String name, ByteArrayOutputStream content) {
        entries.merge(name, content.toByteArray(), (first, second) -> {
            byte[] joined = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, joined, first.length, second.length);
            return joined;
        });
    }
}
