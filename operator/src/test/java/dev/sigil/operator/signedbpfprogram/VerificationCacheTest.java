package dev.sigil.operator.signedbpfprogram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.operator.TestClock;
import dev.sigil.operator.TestPrograms;
import dev.sigil.operator.trust.TrustState;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.TrustBundle;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerificationCacheTest {
    private static final SigningKey RELEASE = TestPrograms.newSigner("release");
    private static final SignedBundle SIGNED = TestPrograms.sign(RELEASE);
    private static final TrustState TRUSTED =
            new TrustState.Loaded(TrustBundle.of(List.of(RELEASE.certificate()), Revocations.none()));
    /** Signed once: the intent's signature differs each time a spec is signed. */
    private static final SignedBpfProgramSpec SPEC = TestPrograms.program("counter", SIGNED, Map.of()).getSpec();

    private final TestClock clock = new TestClock();
    private final ProgramVerifier verifier = new ProgramVerifier(clock);
    private final AtomicInteger checks = new AtomicInteger();
    private final VerificationCache cache = new VerificationCache((spec, trust) -> {
        checks.incrementAndGet();
        return verifier.verify(spec, trust);
    }, clock);

    @Test
    void aSpecIsVerifiedOncePerTrustBundleHoweverOftenItsProgramsReconcile() {
        for (int reconcile = 0; reconcile < 100; reconcile++) {
            assertThat(cache.verify(spec(), TRUSTED)).isInstanceOf(VerificationOutcome.Verified.class);
            assertThat(cache.verify(spec(), TRUSTED)).as("another program, the same spec")
                    .isInstanceOf(VerificationOutcome.Verified.class);
        }

        assertThat(checks).hasValue(1);
    }

    @Test
    void anyChangeToTheSpecIsVerifiedAgain() {
        cache.verify(spec(), TRUSTED);
        SignedBpfProgramSpec reselected = spec();
        reselected.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "edge")).build());
        SignedBpfProgramSpec tampered = spec();
        tampered.setHash("sha256:" + "00".repeat(32));

        cache.verify(reselected, TRUSTED);
        assertThat(cache.verify(tampered, TRUSTED)).isInstanceOfSatisfying(VerificationOutcome.Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(ReasonCode.HashMismatch.name()));
        assertThat(cache.verify(tampered, TRUSTED)).isInstanceOf(VerificationOutcome.Rejected.class);

        assertThat(checks).as("a rejection that time cannot undo is kept too").hasValue(3);
    }

    @Test
    void aNewTrustBundleStartsAfreshSoARevocationTakesEffect() {
        cache.verify(spec(), TRUSTED);
        TrustState revoked = new TrustState.Loaded(TrustBundle.of(List.of(RELEASE.certificate()),
                Revocations.parse("", SIGNED.loaderHash() + "\n")));

        assertThat(cache.verify(spec(), revoked)).isInstanceOfSatisfying(VerificationOutcome.Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(ReasonCode.Revoked.name()));
        assertThat(checks).hasValue(2);
    }

    @Test
    void aVerdictExpiresWithTheSignersCertificate() {
        cache.verify(spec(), TRUSTED);
        clock.advance(Duration.ofDays(1));
        cache.verify(spec(), TRUSTED);
        assertThat(checks).as("still within the certificate's validity").hasValue(1);

        clock.advance(Duration.ofDays(2));

        assertThat(cache.verify(spec(), TRUSTED)).isInstanceOfSatisfying(VerificationOutcome.Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(ReasonCode.CertificateExpired.name()));
        assertThat(checks).hasValue(2);
    }

    @Test
    void nothingIsKeptThatTimeCouldUndoOrWithoutABundle() {
        AtomicInteger calls = new AtomicInteger();
        VerificationCache notYetValid = new VerificationCache((spec, trust) -> {
            calls.incrementAndGet();
            return new VerificationOutcome.Rejected(ReasonCode.CertificateNotYetValid.name(), "not yet", Optional.empty());
        }, clock);
        notYetValid.verify(spec(), TRUSTED);
        notYetValid.verify(spec(), TRUSTED);
        assertThat(calls).hasValue(2);

        TrustState unavailable = new TrustState.Unavailable("trust ConfigMap sigil-system/sigil-trust not found");
        cache.verify(spec(), unavailable);
        cache.verify(spec(), unavailable);
        assertThat(checks).hasValue(2);
    }

    /** A copy of the one signed spec, as another reconcile (or another program) would bring it. */
    private static SignedBpfProgramSpec spec() {
        return Serialization.clone(SPEC);
    }
}
