package dev.sigil.signing;

import static dev.sigil.signing.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {
    private static final LightSkeleton SKELETON = CounterSkeleton.parsed();
    private static final SigningKey SIGNER = TestCertificates.generated("CN=release,O=Sigil test", Optional.empty(), true);
    private static final SignedBundle BUNDLE = BundleSigner.sign(SKELETON, SIGNER);

    private static BundleVerifier verifier(Instant now, Revocations revocations, X509Certificate... trusted) {
        return new BundleVerifier(TrustBundle.of(List.of(trusted), revocations), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static BundleVerifier verifier() {
        return verifier(TestCertificates.DURING, Revocations.none(), SIGNER.certificate());
    }

    private static byte[] flip(byte[] bytes, int index) {
        byte[] copy = bytes.clone();
        copy[index] ^= 0x01;
        return copy;
    }

    private static SignedBundle with(byte[] loader, byte[] metadata, String hash, byte[] signature) {
        return new SignedBundle(BUNDLE.protocol(), loader, metadata, hash, signature);
    }

    @Test
    void acceptsTheBundleAsSigned() throws Exception {
        VerifiedBundle verified = verifier().verify(BUNDLE);

        assertThat(verified.signer()).isEqualTo(Certificates.identity(SIGNER.certificate()));
        assertThat(verified.signer().subject()).isEqualTo("CN=release,O=Sigil test");
        assertThat(verified.signer().subjectKeyId()).isEqualTo(SIGNER.subjectKeyId());
        assertThat(verified.signer().notAfter()).isEqualTo(TestCertificates.NOT_AFTER);
        assertThat(verified.loaderHash()).isEqualTo(BUNDLE.loaderHash()).startsWith("sha256:");
    }

    @Test
    void acceptsTheBundleDecodedFromBase64() throws Exception {
        SignedBundle decoded = SignedBundle.fromBase64(BUNDLE.protocol(), BUNDLE.loaderBase64(), BUNDLE.metadataBase64(),
                BUNDLE.hash(), BUNDLE.signatureBase64());

        assertThat(verifier().verify(decoded).loaderHash()).isEqualTo(BUNDLE.loaderHash());
    }

    @Test
    void rejectsTamperedLoaderInstructions() {
        SignedBundle tampered = with(flip(BUNDLE.loader(), LoaderHashV1.PROLOGUE_BYTES + 100), BUNDLE.metadata(),
                BUNDLE.hash(), BUNDLE.signature());

        assertRejected(verifier(), tampered, ReasonCode.SignatureInvalid, "does not verify over the loader");
    }

    @Test
    void rejectsATamperedPrologue() {
        SignedBundle tampered = with(flip(BUNDLE.loader(), 40), BUNDLE.metadata(), BUNDLE.hash(), BUNDLE.signature());

        assertRejected(verifier(), tampered, ReasonCode.PrologueMismatch, "does not start with the LoaderHashV1 prologue");
    }

    @Test
    void rejectsTamperedMetadata() {
        SignedBundle tampered = with(BUNDLE.loader(), flip(BUNDLE.metadata(), 1000), BUNDLE.hash(), BUNDLE.signature());

        assertRejected(verifier(), tampered, ReasonCode.HashMismatch, "but the resource states " + BUNDLE.hash());
    }

    @Test
    void rejectsReplacedMetadataEvenWithAMatchingHash() {
        byte[] metadata = flip(BUNDLE.metadata(), 1000);
        SignedBundle tampered = with(BUNDLE.loader(), metadata, Sha256.tagged(metadata), BUNDLE.signature());

        assertRejected(verifier(), tampered, ReasonCode.PrologueMismatch, "prologue for metadata hash " + Sha256.tagged(metadata));
    }

    @Test
    void rejectsATamperedSignatureValue() {
        SignedBundle tampered = with(BUNDLE.loader(), BUNDLE.metadata(), BUNDLE.hash(),
                flip(BUNDLE.signature(), BUNDLE.signature().length - 3));

        assertRejected(verifier(), tampered, ReasonCode.SignatureInvalid, "'CN=release,O=Sigil test'");
    }

    @Test
    void rejectsASignatureThatIsNotCms() {
        SignedBundle tampered = with(BUNDLE.loader(), BUNDLE.metadata(), BUNDLE.hash(), flip(BUNDLE.signature(), 0));

        assertRejected(verifier(), tampered, ReasonCode.MalformedSignature, "ContentInfo is a Set, not a SEQUENCE");
    }

    @Test
    void rejectsAWrongHashString() {
        String wrong = Sha256.tagged("something else".getBytes());

        assertRejected(verifier(), with(BUNDLE.loader(), BUNDLE.metadata(), wrong, BUNDLE.signature()),
                ReasonCode.HashMismatch, "metadata hashes to " + BUNDLE.hash() + " but the resource states " + wrong);
    }

    @Test
    void rejectsAHashStringOfTheWrongForm() {
        String upper = BUNDLE.hash().toUpperCase();

        assertRejected(verifier(), with(BUNDLE.loader(), BUNDLE.metadata(), upper, BUNDLE.signature()),
                ReasonCode.HashMismatch, "is not 'sha256:' followed by 64 lowercase hex digits");
    }

    @Test
    void rejectsAnotherSigner() throws Exception {
        SigningKey other = TestCertificates.generated("CN=someone else", Optional.empty(), true);
        SignedBundle foreign = BundleSigner.sign(SKELETON, other);

        assertRejected(verifier(), foreign, ReasonCode.UntrustedSigner,
                "signer with SubjectKeyIdentifier " + other.subjectKeyId() + " is not among the 1 certificates of the trust bundle");
    }

    @Test
    void rejectsAnExpiredCertificateNamingItsDates() {
        Instant later = Instant.parse("2031-02-01T00:00:00Z");

        assertRejected(verifier(later, Revocations.none(), SIGNER.certificate()), BUNDLE, ReasonCode.CertificateExpired,
                "certificate 'CN=release,O=Sigil test' expired at 2031-01-01T00:00:00Z (now 2031-02-01T00:00:00Z)");
    }

    @Test
    void rejectsANotYetValidCertificateNamingItsDates() {
        Instant earlier = Instant.parse("2029-12-31T00:00:00Z");

        assertRejected(verifier(earlier, Revocations.none(), SIGNER.certificate()), BUNDLE, ReasonCode.CertificateNotYetValid,
                "is not valid before 2030-01-01T00:00:00Z (now 2029-12-31T00:00:00Z)");
    }

    @Test
    void rejectsARevokedCertificate() {
        String fingerprint = Certificates.fingerprintSha256(SIGNER.certificate());
        Revocations revoked = new Revocations(Set.of(fingerprint), Set.of());

        assertRejected(verifier(TestCertificates.DURING, revoked, SIGNER.certificate()), BUNDLE, ReasonCode.Revoked,
                "(SHA-256 " + fingerprint + ") is revoked");
    }

    @Test
    void rejectsARevokedLoader() {
        Revocations revoked = new Revocations(Set.of(), Set.of(BUNDLE.loaderHash()));

        assertRejected(verifier(TestCertificates.DURING, revoked, SIGNER.certificate()), BUNDLE, ReasonCode.Revoked,
                "loader " + BUNDLE.loaderHash() + " is revoked");
    }

    @Test
    void rejectsAnUnknownProtocol() {
        SignedBundle future = new SignedBundle("KernelMetadataV2", BUNDLE.loader(), BUNDLE.metadata(), BUNDLE.hash(),
                BUNDLE.signature());

        assertRejected(verifier(), future, ReasonCode.UnsupportedProtocol, "protocol 'KernelMetadataV2' is not supported");
    }

    @Test
    void rejectsLoadersThatAreNotWholeInstructionsOrOnlyAPrologue() {
        byte[] ragged = java.util.Arrays.copyOf(BUNDLE.loader(), BUNDLE.loader().length - 3);
        byte[] prologueOnly = java.util.Arrays.copyOf(BUNDLE.loader(), LoaderHashV1.PROLOGUE_BYTES);

        assertRejected(verifier(), with(ragged, BUNDLE.metadata(), BUNDLE.hash(), BUNDLE.signature()),
                ReasonCode.MalformedLoader, "not a whole number of 8-byte BPF instructions");
        assertRejected(verifier(), with(prologueOnly, BUNDLE.metadata(), BUNDLE.hash(), BUNDLE.signature()),
                ReasonCode.MalformedLoader, "21-instruction prologue and more");
    }

    @Test
    void rejectsBadBase64FieldByField() {
        assertThatThrownBy(() -> SignedBundle.fromBase64("LoaderHashV1", "@@", BUNDLE.metadataBase64(), BUNDLE.hash(),
                BUNDLE.signatureBase64())).extracting(e -> ((VerificationException) e).reason()).isEqualTo(ReasonCode.MalformedLoader);
        assertThatThrownBy(() -> SignedBundle.fromBase64("LoaderHashV1", BUNDLE.loaderBase64(), "", BUNDLE.hash(),
                BUNDLE.signatureBase64())).hasMessage("metadata is missing")
                .extracting(e -> ((VerificationException) e).reason()).isEqualTo(ReasonCode.MalformedMetadata);
        assertThatThrownBy(() -> SignedBundle.fromBase64("LoaderHashV1", BUNDLE.loaderBase64(), BUNDLE.metadataBase64(),
                BUNDLE.hash(), "ab*c")).hasMessageStartingWith("signature is not valid base64")
                .extracting(e -> ((VerificationException) e).reason()).isEqualTo(ReasonCode.MalformedSignature);
    }

    /** Issue 10.4: a 50 MB loader field used to be decoded (a gigabyte, minutes) before its size was refused. */
    @Test
    void rejectsBase64FieldsLongerThanTheSchemaBeforeDecodingThem() {
        String tooLong = "@".repeat(SignedBundle.MAX_METADATA_BASE64 + 1);

        assertThatThrownBy(() -> SignedBundle.fromBase64("LoaderHashV1", tooLong.substring(0, SignedBundle.MAX_LOADER_BASE64 + 1),
                BUNDLE.metadataBase64(), BUNDLE.hash(), BUNDLE.signatureBase64()))
                .hasMessage("loader is 262145 base64 characters; a SignedBpfProgram holds at most 262144")
                .extracting(e -> ((VerificationException) e).reason()).isEqualTo(ReasonCode.MalformedLoader);
        assertThatThrownBy(() -> SignedBundle.fromBase64("LoaderHashV1", BUNDLE.loaderBase64(), tooLong, BUNDLE.hash(),
                BUNDLE.signatureBase64()))
                .hasMessage("metadata is 1048577 base64 characters; a SignedBpfProgram holds at most 1048576")
                .extracting(e -> ((VerificationException) e).reason()).isEqualTo(ReasonCode.MalformedMetadata);
        assertThatThrownBy(() -> SignedBundle.fromBase64("LoaderHashV1", BUNDLE.loaderBase64(), BUNDLE.metadataBase64(),
                BUNDLE.hash(), tooLong.substring(0, SignedBundle.MAX_SIGNATURE_BASE64 + 1)))
                .hasMessage("signature is 16385 base64 characters; a SignedBpfProgram holds at most 16384")
                .extracting(e -> ((VerificationException) e).reason()).isEqualTo(ReasonCode.MalformedSignature);
    }

    @Test
    void rejectsASignerWhoseKeyUsageExcludesDigitalSignature() {
        SigningKey key = TestCertificates.issue("CN=cert signer only",
                new TestCertificates.Profile(true, KeyUsage.keyCertSign, null), null);

        assertRejected(verifier(TestCertificates.DURING, Revocations.none(), key.certificate()), BundleSigner.sign(SKELETON, key),
                ReasonCode.KeyUsageNotAllowed, "has keyUsage without digitalSignature");
    }

    @Test
    void rejectsASignerWhoseExtendedKeyUsageExcludesCodeSigning() {
        SigningKey key = TestCertificates.issue("CN=web server",
                new TestCertificates.Profile(true, KeyUsage.digitalSignature, KeyPurposeId.id_kp_serverAuth), null);

        assertRejected(verifier(TestCertificates.DURING, Revocations.none(), key.certificate()), BundleSigner.sign(SKELETON, key),
                ReasonCode.KeyUsageNotAllowed, "without codeSigning (1.3.6.1.5.5.7.3.3)");
    }

    @Test
    void acceptsASignerWithoutUsageRestrictions() throws Exception {
        SigningKey key = TestCertificates.issue("CN=plain", new TestCertificates.Profile(null, null, null), null);

        assertThat(verifier(TestCertificates.DURING, Revocations.none(), key.certificate())
                .verify(BundleSigner.sign(SKELETON, key)).signer().subject()).isEqualTo("CN=plain");
    }
}
