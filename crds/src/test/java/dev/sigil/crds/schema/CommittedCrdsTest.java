package dev.sigil.crds.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs are committed twice, for users without the build: {@code crds/} ({@code kubectl apply -f crds/})
 * and the Helm chart's {@code charts/sigil/crds/}. Both must equal what the generator makes from the
 * Java model in this build. The build never rewrites committed files by itself: refreshing is an
 * explicit {@code -Dsigil.updateCrds=true}, and the diff is then reviewed and committed.
 */
class CommittedCrdsTest {
    static final String UPDATE_PROPERTY = "sigil.updateCrds";
    static final String REFRESH_COMMAND = "./mvnw -B -q -pl crds -am verify -Dsigil.updateCrds=true";
    private static final List<String> COPY_DIRECTORIES = List.of("crds", "charts/sigil/crds");

    static Stream<Arguments> committedCopies() {
        return COPY_DIRECTORIES.stream().flatMap(directory ->
                GeneratedCrds.FILE_NAMES.stream().map(file -> Arguments.of(directory, file)));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("committedCopies")
    void committedCopyEqualsTheGeneratedCrd(String directory, String file) throws IOException {
        Path copy = CommittedCrds.repositoryRoot().resolve(directory).resolve(file);
        byte[] generated = GeneratedCrds.bytes(file);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(copy.getParent());
            Files.write(copy, generated);
            System.out.println("Refreshed " + directory + "/" + file + " from the generated CRD; review and commit it.");
        }
        assertThat(Files.exists(copy))
                .as("%s/%s is missing. Create it with: %s", directory, file, REFRESH_COMMAND)
                .isTrue();
        assertThat(new String(Files.readAllBytes(copy), java.nio.charset.StandardCharsets.UTF_8))
                .as("%s/%s is stale: it differs from the CRD generated from the Java model "
                        + "(crds/target/classes/META-INF/fabric8/%s). Refresh the committed copies with: %s "
                        + "then review and commit the diff", directory, file, file, REFRESH_COMMAND)
                .isEqualTo(new String(generated, java.nio.charset.StandardCharsets.UTF_8));
    }
}
