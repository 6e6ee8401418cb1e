package dev.sigil.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reader and the schema hold resources to one set of rules: the CRD fixtures the schema refuses (crds module,
 * {@code CustomResourceFixturesTest}) the reader refuses too, and what it admits the reader reads, except where the
 * schema's rule is one of its CEL expressions or concerns the status, which the reader leaves to the API server.
 */
class ReaderSchemaAgreementTest {
    private static final Path EXAMPLES = ResourceReaderTest.repositoryRoot().resolve("crds/src/test/resources/examples");
    /** Invalid fixtures the reader admits, and why. */
    private static final Map<String, String> SCHEMA_ONLY = Map.of(
            "intent-without-signature.yaml", "CEL; verification refuses an intent without its signature",
            "intent-exact-and-glob.yaml", "CEL; verification refuses the constraint (MalformedIntent)",
            "selector-in-without-values.yaml", "CEL on Kubernetes' own label selector",
            "bad-condition-status.yaml", "status: the reader does not read it",
            "bad-transition-time.yaml", "status: the reader does not read it");

    static Stream<Path> validPrograms() throws IOException {
        return programs("valid");
    }

    static Stream<Path> invalidPrograms() throws IOException {
        return programs("invalid").filter(file -> !SCHEMA_ONLY.containsKey(file.getFileName().toString()));
    }

    static Stream<Path> schemaOnly() throws IOException {
        return programs("invalid").filter(file -> SCHEMA_ONLY.containsKey(file.getFileName().toString()));
    }

    @ParameterizedTest
    @MethodSource("validPrograms")
    void readsWhatTheSchemaAdmits(Path fixture) {
        assertThatCode(() -> ResourceReader.read(fixture)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("invalidPrograms")
    void refusesWhatTheSchemaRefusesInOneLine(Path fixture) {
        assertThatThrownBy(() -> ResourceReader.read(fixture))
                .isInstanceOf(ResourceException.class)
                .hasMessageStartingWith(fixture + ": ")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @MethodSource("schemaOnly")
    void leavesTheSchemasCelRulesToTheApiServer(Path fixture) {
        assertThatCode(() -> ResourceReader.read(fixture)).as(SCHEMA_ONLY.get(fixture.getFileName().toString()))
                .doesNotThrowAnyException();
    }

    private static Stream<Path> programs(String kind) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(EXAMPLES.resolve(kind))) {
            files = listing.sorted().toList();
        }
        List<Path> programs = files.stream().filter(ReaderSchemaAgreementTest::isSignedBpfProgram).toList();
        assertThat(programs).as("SignedBpfProgram fixtures under %s", EXAMPLES.resolve(kind)).isNotEmpty();
        return programs.stream();
    }

    private static boolean isSignedBpfProgram(Path file) {
        try {
            return Files.readString(file).contains("kind: SignedBpfProgram");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
