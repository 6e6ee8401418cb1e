package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the signature path: {@link KernelCms} and everything {@link BundleVerifier} does with
 * a signature, over the fixture loader and trust. Every input must end verified or refused with a reason code and
 * a one-line message; anything else (an unchecked exception, an error) is a finding. Without JAZZER_FUZZ this runs
 * the committed corpus in {@code SignatureFuzzTestInputs/} (the fixture signatures, mutants near each check, and
 * the inputs that once escaped) as a regression test; then (the fuzz profile, on unless {@code -Dsigil.fuzz.skip}) Jazzer fuzzes for {@link FuzzBudget}.
 */
class SignatureFuzzTest {
    private static final BundleVerifier VERIFIER = Fixtures.verifier();

    @FuzzTest(maxDuration = FuzzBudget.DURATION)
    void everySignatureIsVerifiedOrRefusedWithAReason(byte[] signature) {
        try {
            VerifiedBundle verified = VERIFIER.verify(Fixtures.bundle(signature));
            assertThat(verified.loaderHash()).isEqualTo(Sha256.tagged(Fixtures.LOADER));
        } catch (VerificationException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }
}
