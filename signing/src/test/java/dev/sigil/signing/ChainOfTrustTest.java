package dev.sigil.signing;

import static dev.sigil.signing.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A signer certified by an intermediate CA certified by a root: root -> intermediate -> leaf. */
class ChainOfTrustTest {
    private static final SigningKey ROOT = TestCertificates.generated("CN=Sigil root", Optional.empty(), true);
    private static final SigningKey INTERMEDIATE = TestCertificates.generated("CN=Sigil intermediate", Optional.of(ROOT), true);
    private static final SigningKey LEAF = TestCertificates.generated("CN=release pipeline", Optional.of(INTERMEDIATE), false);
    private static final SignedBundle BUNDLE = BundleSigner.sign(CounterSkeleton.parsed(), LEAF);

    private static BundleVerifier verifier(Revocations revocations, X509Certificate... trusted) {
        return new BundleVerifier(TrustBundle.of(List.of(trusted), revocations),
                Clock.fixed(TestCertificates.DURING, ZoneOffset.UTC));
    }

    @Test
    void acceptsALeafChainedThroughAnIntermediateToTheRoot() throws Exception {
        VerifiedBundle verified = verifier(Revocations.none(), ROOT.certificate(), INTERMEDIATE.certificate(), LEAF.certificate())
                .verify(BUNDLE);

        assertThat(verified.signer().subject()).isEqualTo("CN=release pipeline");
    }

    @Test
    void certificateOrderInTheBundleDoesNotMatter() throws Exception {
        assertThat(verifier(Revocations.none(), LEAF.certificate(), ROOT.certificate(), INTERMEDIATE.certificate())
                .verify(BUNDLE).signer().subject()).isEqualTo("CN=release pipeline");
    }

    @Test
    void rejectsAChainWithAMissingIntermediate() {
        assertRejected(verifier(Revocations.none(), ROOT.certificate(), LEAF.certificate()), BUNDLE, ReasonCode.UntrustedSigner,
                "certificate 'CN=release pipeline' was issued by CN=Sigil intermediate, which is not in the trust bundle");
    }

    @Test
    void rejectsAChainThatDoesNotEndAtASelfSignedCertificate() {
        assertRejected(verifier(Revocations.none(), INTERMEDIATE.certificate(), LEAF.certificate()), BUNDLE,
                ReasonCode.UntrustedSigner, "issued by CN=Sigil root, which is not in the trust bundle");
    }

    @Test
    void rejectsAnIssuerThatIsNotACertificateAuthority() {
        SigningKey notCa = TestCertificates.issue("CN=not a CA", TestCertificates.Profile.leaf(), ROOT);
        SigningKey leaf = TestCertificates.issue("CN=leaf of a leaf", TestCertificates.Profile.leaf(), notCa);

        assertRejected(verifier(Revocations.none(), ROOT.certificate(), notCa.certificate(), leaf.certificate()),
                BundleSigner.sign(CounterSkeleton.parsed(), leaf), ReasonCode.UntrustedSigner,
                "certificate 'CN=not a CA' issued part of the signer's chain but is not a CA");
    }

    @Test
    void rejectsAnImpostorIssuerWithTheRightNameButAnotherKey() {
        SigningKey impostor = TestCertificates.generated("CN=Sigil intermediate", Optional.of(ROOT), true);

        assertRejected(verifier(Revocations.none(), ROOT.certificate(), impostor.certificate(), LEAF.certificate()), BUNDLE,
                ReasonCode.UntrustedSigner, "certificate 'CN=release pipeline' was not signed by the key of 'CN=Sigil intermediate'");
    }

    @Test
    void rejectsARevokedIntermediate() {
        String fingerprint = Certificates.fingerprintSha256(INTERMEDIATE.certificate());

        assertRejected(verifier(new Revocations(Set.of(fingerprint), Set.of()), ROOT.certificate(), INTERMEDIATE.certificate(),
                LEAF.certificate()), BUNDLE, ReasonCode.Revoked, "certificate 'CN=Sigil intermediate' (SHA-256 " + fingerprint);
    }

    @Test
    void rejectsAnExpiredIntermediate() {
        SigningKey shortLived = TestCertificates.issue("CN=short-lived intermediate", TestCertificates.Profile.authority(), ROOT,
                TestCertificates.NOT_BEFORE, Instant.parse("2030-03-01T00:00:00Z"));
        SigningKey leaf = TestCertificates.issue("CN=leaf", TestCertificates.Profile.leaf(), shortLived);

        assertRejected(verifier(Revocations.none(), ROOT.certificate(), shortLived.certificate(), leaf.certificate()),
                BundleSigner.sign(CounterSkeleton.parsed(), leaf), ReasonCode.CertificateExpired,
                "certificate 'CN=short-lived intermediate' expired at 2030-03-01T00:00:00Z");
    }

    @Test
    void keygenRefusesAnIssuerThatIsNotACertificateAuthority() {
        assertThatThrownBy(() -> SigningKeys.generate(KeySpec.ec("P-256"), "CN=x", Duration.ofDays(1), Optional.of(LEAF)))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("issuer CN=release pipeline is not a CA certificate");
    }

    @Test
    void issuedCertificatesCarryAnAuthorityKeyIdentifierAndCodeSigning() throws Exception {
        X509Certificate leaf = LEAF.certificate();

        assertThat(leaf.getExtensionValue("2.5.29.35")).as("authorityKeyIdentifier").isNotNull();
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.3");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(INTERMEDIATE.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(INTERMEDIATE.certificate().getSubjectX500Principal());
    }
}
