package dev.sigil.api;

import static dev.sigil.signing.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.api.testing.IntentTamperCases;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.GenLoaderMetadata;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.ProgramLoad;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.intent.BoundProgramVerifier;
import dev.sigil.signing.intent.SignedProgram;
import dev.sigil.signing.intent.VerifiedProgram;
import dev.sigil.signing.intent.VerifiedProgramCache;
import dev.sigil.signing.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's remembered verdicts: a resource that verified, read again unchanged, is not checked again; any
 * change to what the check reads, a trust bundle of its own, an expired certificate or a clock set back is
 * checked afresh, with the verdict the uncached check gives.
 */
class VerifiedProgramCacheTest {
    private final MovableClock clock = new MovableClock(Instant.now());
    private final List<SignedProgram> checked = new ArrayList<>();

    /** A cache whose checks are recorded; the check itself is the real one. */
    private VerifiedProgramCache cache(TrustBundle trust) {
        BoundProgramVerifier verifier = new BoundProgramVerifier(trust, clock);
        return new VerifiedProgramCache(trust, clock, program -> {
            checked.add(program);
            return verifier.verify(program);
        });
    }

    @Test
    void anUnchangedResourceReadAgainIsNotCheckedAgainAndGetsItsOwnBytes() throws Exception {
        VerifiedProgramCache cache = cache(SignedFixtures.trust());
        SignedBpfProgramSpec spec = SignedFixtures.counter("c").getSpec();
        VerifiedProgram first = cache.verify(SignedSpecs.read(spec));
        SignedProgram again = SignedSpecs.read(spec);
        VerifiedProgram second = cache.verify(again);

        assertThat(checked).hasSize(1);
        assertThat(second.bundle().bundle()).as("the bytes that will be loaded are this read's").isSameAs(again.bundle());
        assertThat(second.bundle().signer()).isEqualTo(first.bundle().signer());
        assertThat(second.bundle().loaderHash()).isEqualTo(first.bundle().loaderHash());
        assertThat(second.binding()).isEqualTo(first.binding());
    }

    @Test
    void globBoundResourcesAreRememberedToo() throws Exception {
        VerifiedProgramCache cache = cache(SignedFixtures.trust());
        SignedBpfProgramSpec spec = SignedFixtures.attachKinds("k").getSpec();
        cache.verify(SignedSpecs.read(spec));
        cache.verify(SignedSpecs.read(spec));
        assertThat(checked).hasSize(1);
    }

    /** The resource as it verified first, then changed in place: the change is checked, with the uncached verdict. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sigil.api.testing.IntentTamperCases#all")
    void aChangeAfterAVerifiedReadGetsTheVerdictOfAFullCheck(IntentTamperCases tamper) throws Exception {
        VerifiedProgramCache cache = cache(SignedFixtures.trust());
        SignedBpfProgram resource = tamper.base().apply("tampered");
        cache.verify(SignedSpecs.read(resource.getSpec()));
        tamper.mutation().accept(resource);
        SpecVerifier uncached = new SpecVerifier(SignedFixtures.trust(), clock);

        if (tamper.verdict().isEmpty()) {
            assertThat(cache.verify(SignedSpecs.read(resource.getSpec())).binding())
                    .isEqualTo(uncached.verify(resource.getSpec()).binding());
            return;
        }
        AtomicReference<SignedProgram> read = new AtomicReference<>();
        assertRefused(() -> {
            read.set(SignedSpecs.read(resource.getSpec()));
            cache.verify(read.get());
        }, tamper.verdict().get());
        // A change that cannot even be read (a malformed intent) never reaches the cache.
        assertThat(checked).as("the changed resource was checked, not remembered").hasSize(read.get() == null ? 1 : 2);
    }

    @Test
    void aFlippedMetadataByteIsCheckedAndRefused() throws Exception {
        VerifiedProgramCache cache = cache(SignedFixtures.trust());
        SignedBpfProgramSpec spec = SignedFixtures.counter("c").getSpec();
        cache.verify(SignedSpecs.read(spec));
        byte[] metadata = Base64.getDecoder().decode(spec.getMetadata());
        metadata[metadata.length / 2] ^= 1;
        spec.setMetadata(Base64.getEncoder().encodeToString(metadata));

        assertRefused(() -> cache.verify(SignedSpecs.read(spec)), ReasonCode.HashMismatch);
    }

    @Test
    void anotherTrustBundleRemembersNothingOfTheFirst() throws Exception {
        SignedBpfProgramSpec spec = SignedFixtures.counter("c").getSpec();
        cache(SignedFixtures.trust()).verify(SignedSpecs.read(spec));
        String fingerprint = dev.sigil.signing.Certificates.fingerprintSha256(SignedFixtures.KEY.certificate());
        TrustBundle revoking = SignedFixtures.trust().withRevocations(Revocations.parse(fingerprint, ""));
        VerifiedProgramCache afterRevocation = cache(revoking);

        assertRefused(() -> afterRevocation.verify(SignedSpecs.read(spec)), ReasonCode.Revoked);
        String loaderHash = SignedSpecs.read(spec).bundle().loaderHash();
        VerifiedProgramCache loaderRevoked = cache(SignedFixtures.trust().withRevocations(Revocations.parse("", loaderHash)));
        assertRefused(() -> loaderRevoked.verify(SignedSpecs.read(spec)), ReasonCode.Revoked);
        assertThat(checked).hasSize(3);
    }

    @Test
    void aVerdictEndsWhenTheSignersCertificateExpires() throws Exception {
        VerifiedProgramCache cache = cache(SignedFixtures.trust());
        SignedBpfProgramSpec spec = SignedFixtures.counter("c").getSpec();
        Instant notAfter = cache.verify(SignedSpecs.read(spec)).bundle().signer().notAfter();

        clock.set(notAfter.minusSeconds(1));
        cache.verify(SignedSpecs.read(spec));
        assertThat(checked).as("still valid a second before: remembered").hasSize(1);
        clock.set(notAfter.plusSeconds(1));
        assertRefused(() -> cache.verify(SignedSpecs.read(spec)), ReasonCode.CertificateExpired);
        assertThat(checked).hasSize(2);
    }

    @Test
    void aVerdictEndsWhenAnotherCertificateOfTheBundleThatCouldBeOnThePathExpires() throws Exception {
        SigningKey shortLived = SigningKeys.generate(KeySpec.ec("P-256"), "CN=Short-lived intermediate", Duration.ofHours(1),
                Optional.empty());
        TrustBundle trust = TrustBundle.of(List.of(SignedFixtures.KEY.certificate(), shortLived.certificate()),
                Revocations.none());
        VerifiedProgramCache cache = cache(trust);
        SignedBpfProgramSpec spec = SignedFixtures.counter("c").getSpec();
        cache.verify(SignedSpecs.read(spec));

        clock.set(shortLived.certificate().getNotAfter().toInstant().plusSeconds(1));
        cache.verify(SignedSpecs.read(spec));
        assertThat(checked).as("checked again, although its own certificate is still valid").hasSize(2);
        cache.verify(SignedSpecs.read(spec));
        assertThat(checked).as("the expired certificate no longer limits the new verdict").hasSize(2);
    }

    @Test
    void aClockSetBackBeforeTheVerdictChecksAgain() throws Exception {
        VerifiedProgramCache cache = cache(SignedFixtures.trust());
        SignedBpfProgramSpec spec = SignedFixtures.counter("c").getSpec();
        Instant notBefore = SignedFixtures.KEY.certificate().getNotBefore().toInstant();
        cache.verify(SignedSpecs.read(spec));

        clock.set(notBefore.minusSeconds(60));
        assertRefused(() -> cache.verify(SignedSpecs.read(spec)), ReasonCode.CertificateNotYetValid);
        assertThat(checked).hasSize(2);
    }

    @Test
    void theSameReadHandedInAgainIsRecognisedButStillExpiresAndOtherReadsAreCheckedByContent() throws Exception {
        VerifiedProgramCache cache = cache(SignedFixtures.trust());
        SignedBpfProgramSpec spec = SignedFixtures.counter("c").getSpec();
        SignedProgram kept = SignedSpecs.read(spec);
        Instant notAfter = cache.verify(kept).bundle().signer().notAfter();
        byte[] metadata = Base64.getDecoder().decode(spec.getMetadata());
        metadata[0] ^= 1;
        spec.setMetadata(Base64.getEncoder().encodeToString(metadata));

        assertRefused(() -> cache.verify(SignedSpecs.read(spec)), ReasonCode.HashMismatch);
        assertThat(cache.verify(kept).bundle().bundle()).isSameAs(kept.bundle());
        assertThat(checked).as("the kept read remembered, the changed one checked").hasSize(2);
        clock.set(notAfter.plusSeconds(1));
        assertRefused(() -> cache.verify(kept), ReasonCode.CertificateExpired);
        assertThat(checked).hasSize(3);
    }

    @Test
    void aVerdictCarriesTheProgramLoadsOfTheSignedMetadataRememberedOrNot() throws Exception {
        VerifiedProgramCache cache = cache(SignedFixtures.trust());
        SignedBpfProgramSpec spec = SignedFixtures.attachKinds("k").getSpec();
        SignedProgram read = SignedSpecs.read(spec);
        List<ProgramLoad> loads = GenLoaderMetadata.programs(read.bundle().loader(), read.bundle().metadata());

        assertThat(cache.verify(read).loads()).isEqualTo(loads).hasSizeGreaterThan(1);
        assertThat(cache.verify(SignedSpecs.read(spec)).loads()).isEqualTo(loads);
        assertThat(checked).hasSize(1);
    }

    @Test
    void aRejectionIsCheckedEveryTime() throws Exception {
        TrustBundle otherSigner = TrustBundle.of(List.of(SignedFixtures.OTHER_TRUSTED_KEY.certificate()), Revocations.none());
        VerifiedProgramCache cache = cache(otherSigner);
        SignedBpfProgramSpec spec = SignedFixtures.counter("c").getSpec();
        for (int i = 0; i < 2; i++) {
            assertRefused(() -> cache.verify(SignedSpecs.read(spec)), ReasonCode.UntrustedSigner);
        }
        assertThat(checked).hasSize(2);
    }
}
