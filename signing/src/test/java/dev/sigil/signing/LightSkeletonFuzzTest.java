package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the light-skeleton importer (Jazzer). In the normal suite this runs in
 * regression mode: every input of the committed seed corpus ({@code src/test/resources/dev/sigil/signing/
 * LightSkeletonFuzzTestInputs/}) once. To fuzz: {@code JAZZER_FUZZ=1 ./mvnw -pl signing -am test
 * -Dtest=LightSkeletonFuzzTest -Dsurefire.failIfNoSpecifiedTests=false} (or a plain build, for {@link FuzzBudget}); a crash is saved next to the seeds
 * and then replays in every build. Any input must give a skeleton or a one-line {@link SkeletonFormatException}:
 * nothing else may escape.
 */
class LightSkeletonFuzzTest {
    @FuzzTest(maxDuration = FuzzBudget.DURATION)
    void importsAnyHeaderOrRejectsItInOneLine(byte[] header) {
        String text = new String(header, StandardCharsets.UTF_8);
        try {
            LightSkeleton skeleton = LightSkeleton.parse(text, "fuzzed.lskel.h");
            assertThat(skeleton.programNames()).hasSameSizeAs(skeleton.programLoads());
            assertThat(skeleton.loaderInstructions().length % LoaderHashV1.INSTRUCTION_SIZE).isZero();
        } catch (SkeletonFormatException e) {
            assertThat(e.getMessage()).startsWith("fuzzed.lskel.h").doesNotContain("\n");
        }
    }
}
