package dev.sigil.api.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;

/**
 * Coverage-guided fuzzing of {@link ResourceReader} (Jazzer), the one reader of resource files. {@code ./mvnw verify}
 * replays the committed corpus ({@code src/test/resources/dev/sigil/api/resource/ResourceReaderFuzzTestInputs/}: real
 * resources as YAML and JSON, and every hostile shape the reader refuses); every build (unless {@code -Dsigil.fuzz.skip}) fuzzes it for
 * {@code sigil.fuzz.duration}, and a crash it finds is saved there and replayed by every later build. Any input must
 * give a resource that keeps the API's rules or a one-line {@link ResourceException}: nothing else may escape.
 */
class ResourceReaderFuzzTest {
    @FuzzTest(maxDuration = FuzzBudget.DURATION)
    void everyDocumentIsReadOrRefusedInOneLine(byte[] document) {
        try {
            SignedBpfProgram resource = ResourceReader.read(document, "fuzzed.yaml");
            assertThat(ResourceRules.violations(resource)).isEmpty();
        } catch (ResourceException e) {
            assertThat(e.getMessage()).startsWith("fuzzed.yaml: ").doesNotContain("\n");
        }
    }
}
