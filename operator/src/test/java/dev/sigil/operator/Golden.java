package dev.sigil.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources/golden}. Run with {@code -Dsigil.golden.update=true}
 * to rewrite them after an intended change, then review the diff.
 */
public final class Golden {
    private static final Path DIR = Path.of("src", "test", "resources", "golden");

    private Golden() {
    }

    public static void assertMatches(String actual, String name) {
        Path file = DIR.resolve(name);
        try {
            if (Boolean.getBoolean("sigil.golden.update")) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual);
            }
            assertThat(file).as("golden file %s (run with -Dsigil.golden.update=true to create it)", file).exists();
            assertThat(actual).as("generated output differs from %s", file).isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
