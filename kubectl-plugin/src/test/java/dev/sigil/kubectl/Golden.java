package dev.sigil.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Command output compared with files under src/test/resources/golden; refresh them with
 * {@code ./mvnw -B -q -pl kubectl-plugin -am verify -Dsigil.updateGolden=true} and review the diff.
 */
final class Golden {
    private static final String UPDATE_PROPERTY = "sigil.updateGolden";

    private Golden() {
    }

    static void assertMatches(String name, String actual) throws IOException {
        Path golden = Path.of(System.getenv("SIGIL_ROOT"), "kubectl-plugin/src/test/resources/golden", name);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file %s; create it with -D%s=true", golden, UPDATE_PROPERTY).exists();
        assertThat(actual).as("%s is out of date; if intended, refresh with -D%s=true and review the diff", golden, UPDATE_PROPERTY)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
