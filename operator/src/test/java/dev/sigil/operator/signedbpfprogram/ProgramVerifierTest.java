package dev.sigil.operator.signedbpfprogram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.operator.TestPrograms;
import dev.sigil.operator.trust.TrustState;
import dev.sigil.signing.Certificates;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.TrustBundle;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ProgramVerifierTest {
    private static final SigningKey RELEASE = TestPrograms.newSigner("release");
    private static final SignedBundle SIGNED = TestPrograms.sign(RELEASE);
    private static final TrustState TRUSTED =
            new TrustState.Loaded(TrustBundle.of(List.of(RELEASE.certificate()), Revocations.none()));

    private final ProgramVerifier verifier = new ProgramVerifier(Clock.systemUTC());

    @Test
    void verifiesTheSignedExampleAndNamesItsSigner() {
        assertThat(verifier.verify(spec(spec -> { }), TRUSTED))
                .isInstanceOfSatisfying(VerificationOutcome.Verified.class, verified -> {
                    assertThat(verified.signer().subject()).contains("CN=release");
                    assertThat(verified.signer().fingerprintSha256())
                            .isEqualTo(Certificates.fingerprintSha256(RELEASE.certificate()));
                    assertThat(verified.hash()).isEqualTo(SIGNED.loaderHash());
                });
    }

    @Test
    void rejectsTamperedMetadata() {
        byte[] metadata = SIGNED.metadata().clone();
        metadata[metadata.length / 2] ^= 0x01;
        assertRejected(spec(spec -> spec.setMetadata(Base64.getEncoder().encodeToString(metadata))), TRUSTED,
                "HashMismatch");
    }

    @Test
    void rejectsAnUntrustedSigner() {
        SignedBundle foreign = TestPrograms.sign(TestPrograms.newSigner("stranger"));
        assertRejected(spec(spec -> spec.setSignature(foreign.signatureBase64())), TRUSTED, "UntrustedSigner");
    }

    @Test
    void rejectsARevokedLoaderWithItsHash() {
        TrustState revoked = new TrustState.Loaded(TrustBundle.of(List.of(RELEASE.certificate()),
                Revocations.parse("", SIGNED.loaderHash() + "\n")));
        assertThat(verifier.verify(spec(spec -> { }), revoked))
                .isInstanceOfSatisfying(VerificationOutcome.Rejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo("Revoked");
                    assertThat(rejected.loaderHash()).contains(SIGNED.loaderHash());
                });
    }

    @Test
    void rejectsGarbageAndMissingPiecesBeforeLookingAtTrust() {
        assertRejected(spec(spec -> spec.setLoader("not base64!")), TRUSTED, "MalformedLoader");
        assertRejected(spec(spec -> spec.setSignature(null)), TRUSTED, "MalformedSignature");
    }

    /** Issue 10.3: one flipped bit used to escape as a raw Bouncy Castle exception and fail the reconcile. */
    @Test
    void everyFlippedBitOfTheSignatureIsARejectionWithAReasonNeverAnException() {
        byte[] signature = SIGNED.signature();
        for (int offset = 0; offset < signature.length; offset++) {
            byte[] flipped = signature.clone();
            flipped[offset] ^= (byte) (1 << (offset % 8));
            String base64 = Base64.getEncoder().encodeToString(flipped);

            VerificationOutcome outcome = verifier.verify(spec(spec -> spec.setSignature(base64)), TRUSTED);

            assertThat(outcome).as("bit %d of byte %d", offset % 8, offset).isInstanceOfSatisfying(
                    VerificationOutcome.Rejected.class, rejected -> {
                        assertThat(rejected.reason()).isIn("MalformedSignature", "SignatureInvalid", "UntrustedSigner");
                        assertThat(rejected.message()).isNotBlank().doesNotContain("\n");
                    });
        }
    }

    /** The signing library keeps no Kubernetes dependency, so it repeats the schema's maxima: they must agree. */
    @Test
    void theVerifiersBase64LimitsAreTheSchemas() {
        assertThat(SignedBundle.MAX_LOADER_BASE64).isEqualTo(SignedBpfProgramSpec.MAX_LOADER_BASE64);
        assertThat(SignedBundle.MAX_METADATA_BASE64).isEqualTo(SignedBpfProgramSpec.MAX_METADATA_BASE64);
        assertThat(SignedBundle.MAX_SIGNATURE_BASE64).isEqualTo(SignedBpfProgramSpec.MAX_SIGNATURE_BASE64);
    }

    @Test
    void aSignatureFieldLongerThanTheSchemaAllowsIsRefusedBeforeDecoding() {
        assertRejected(spec(spec -> spec.setSignature("A".repeat(SignedBundle.MAX_SIGNATURE_BASE64 + 4))), TRUSTED,
                "MalformedSignature");
    }

    @Test
    void nothingVerifiesWithoutATrustBundle() {
        assertThat(verifier.verify(spec(spec -> { }), new TrustState.Unavailable("trust ConfigMap a/b not found")))
                .isEqualTo(new VerificationOutcome.Rejected("TrustBundleUnavailable", "trust ConfigMap a/b not found",
                        Optional.of(SIGNED.loaderHash())));
    }

    private void assertRejected(SignedBpfProgramSpec spec, TrustState trust, String reason) {
        assertThat(verifier.verify(spec, trust)).isInstanceOfSatisfying(VerificationOutcome.Rejected.class,
                rejected -> {
                    assertThat(rejected.reason()).isEqualTo(reason);
                    assertThat(rejected.message()).isNotBlank();
                });
    }

    private static SignedBpfProgramSpec spec(Consumer<SignedBpfProgramSpec> change) {
        SignedBpfProgram program = TestPrograms.program("p", SIGNED, Map.of());
        change.accept(program.getSpec());
        return program.getSpec();
    }
}
