package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleRoundTripTest {

    @Test
    void signedCounterSkeletonVerifiesAgainstItsOwnCertificate() throws Exception {
        LightSkeleton skeleton = CounterSkeleton.parsed();
        SigningKey key = SigningKeys.generate(KeySpec.ec("P-256"), "CN=round trip", Duration.ofDays(1), Optional.empty());

        SignedBundle bundle = BundleSigner.sign(skeleton, key);
        VerifiedBundle verified = new BundleVerifier(TrustBundle.of(List.of(key.certificate()), Revocations.none()),
                Clock.systemUTC()).verify(bundle);

        assertThat(verified.signer().subject()).isEqualTo("CN=round trip");
        assertThat(verified.loaderHash()).isEqualTo(Sha256.tagged(bundle.loader()));
        assertThat(bundle.loader()).hasSize(skeleton.loaderInstructions().length + LoaderHashV1.PROLOGUE_BYTES);
    }
}
