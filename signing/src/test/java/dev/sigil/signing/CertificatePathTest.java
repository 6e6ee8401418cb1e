package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewals (two certificates for one key, so one SubjectKeyIdentifier), impostors (another key claiming the
 * identifier), cross-signed intermediates and revocation by key, each checked in every order of the bundle:
 * all permutations up to five certificates, 50 seeded shuffles above, and as files under permuted names.
 */
class CertificatePathTest {
    private static final Instant EXPIRED_AT = Instant.parse("2030-03-01T00:00:00Z");
    private static final SigningKey ROOT = TestCertificates.generated("CN=Sigil root", Optional.empty(), true);
    private static final SigningKey OTHER_ROOT = TestCertificates.generated("CN=Other root", Optional.empty(), true);
    private static final SigningKey SIGNER = TestCertificates.issue("CN=release", TestCertificates.Profile.leaf(), ROOT);
    /** The signer's key certified earlier, now expired: what a renewal leaves behind. */
    private static final SigningKey EXPIRED_TWIN = TestCertificates.recertify(SIGNER, TestCertificates.Profile.leaf(), ROOT,
            TestCertificates.NOT_BEFORE, EXPIRED_AT);
    private static final SignedBundle BUNDLE = BundleSigner.sign(CounterSkeleton.parsed(), SIGNER);

    @Test
    void anExpiredTwinOfTheSignerDoesNotHideItsValidRenewalInAnyOrder() {
        assertVerifiedInEveryOrder(Revocations.none(), ROOT, SIGNER, EXPIRED_TWIN);
    }

    @Test
    void anImpostorWithTheSignersKeyIdentifierDoesNotHideTheSignerInAnyOrder() {
        SigningKey impostor = TestCertificates.impostorOf(SIGNER, ROOT);

        assertVerifiedInEveryOrder(Revocations.none(), ROOT, impostor, SIGNER, EXPIRED_TWIN);
    }

    @Test
    void revokingOneCertificateOfARenewedKeyLeavesTheOtherAndRevokingTheKeyRevokesBoth() {
        Revocations oldCertificate = new Revocations(Set.of(Certificates.fingerprintSha256(EXPIRED_TWIN.certificate())), Set.of());
        Revocations key = new Revocations(Set.of(), Set.of(), Set.of(Certificates.publicKeySha256(SIGNER.certificate())));

        assertVerifiedInEveryOrder(oldCertificate, ROOT, SIGNER, EXPIRED_TWIN);
        assertRejectedInEveryOrder(key, ReasonCode.Revoked, "is revoked", ROOT, SIGNER, EXPIRED_TWIN);
    }

    @Test
    void aCrossSignedIntermediateIsAcceptedThroughWhicheverRootIsStillValid() {
        SigningKey intermediate = TestCertificates.issue("CN=Sigil intermediate", TestCertificates.Profile.authority(), ROOT,
                TestCertificates.NOT_BEFORE, EXPIRED_AT);
        SigningKey crossSigned = TestCertificates.recertify(intermediate, TestCertificates.Profile.authority(), OTHER_ROOT,
                TestCertificates.NOT_BEFORE, TestCertificates.NOT_AFTER);
        SigningKey leaf = TestCertificates.issue("CN=leaf", TestCertificates.Profile.leaf(), intermediate);
        SignedBundle signed = BundleSigner.sign(CounterSkeleton.parsed(), leaf);

        assertVerifiedInEveryOrder(signed, Revocations.none(), ROOT, OTHER_ROOT, intermediate, crossSigned, leaf);
        assertRejectedInEveryOrder(signed, Revocations.none(), ReasonCode.CertificateExpired,
                "certificate 'CN=Sigil intermediate' expired at " + EXPIRED_AT, ROOT, intermediate, leaf);
        // A revoked root beats an expired intermediate: the most specific reason wins, whatever the order.
        Revocations otherRootRevoked = new Revocations(Set.of(Certificates.fingerprintSha256(OTHER_ROOT.certificate())), Set.of());
        assertRejectedInEveryOrder(signed, otherRootRevoked, ReasonCode.Revoked, "certificate 'CN=Other root'",
                ROOT, OTHER_ROOT, intermediate, crossSigned, leaf);
    }

    @Test
    void withNoUsableCandidateTheMostSpecificReasonIsReportedInEveryOrder() {
        SigningKey impostor = TestCertificates.impostorOf(SIGNER, ROOT);

        assertRejectedInEveryOrder(Revocations.none(), ReasonCode.CertificateExpired,
                "certificate 'CN=release' expired at " + EXPIRED_AT, ROOT, impostor, EXPIRED_TWIN);
        assertRejectedInEveryOrder(Revocations.none(), ReasonCode.SignatureInvalid,
                "signature by 'CN=release' does not verify over the loader", ROOT, impostor);
        assertRejectedInEveryOrder(Revocations.none(), ReasonCode.UntrustedSigner,
                "certificate 'CN=release' was issued by CN=Sigil root, which is not in the trust bundle", impostor, SIGNER);
    }

    @Test
    void aLargeBundleGivesTheSameVerdictInEveryShuffle() {
        List<SigningKey> keys = new ArrayList<>(List.of(ROOT, OTHER_ROOT, SIGNER, EXPIRED_TWIN, TestCertificates.impostorOf(SIGNER, ROOT)));
        for (int i = 0; i < 5; i++) {
            keys.add(TestCertificates.issue("CN=unrelated " + i, TestCertificates.Profile.leaf(), i % 2 == 0 ? ROOT : OTHER_ROOT));
        }

        assertVerifiedInEveryOrder(Revocations.none(), keys.toArray(SigningKey[]::new));
    }

    @Test
    void fileNamesDoNotChangeTheVerdict(@TempDir Path dir) throws Exception {
        List<SigningKey> keys = List.of(ROOT, SIGNER, EXPIRED_TWIN, TestCertificates.impostorOf(SIGNER, ROOT));
        for (List<SigningKey> order : orders(keys)) {
            Path bundle = Files.createDirectory(dir.resolve("bundle-" + Integer.toHexString(order.hashCode())));
            for (int i = 0; i < order.size(); i++) {
                Files.writeString(bundle.resolve((char) ('a' + i) + (i % 2 == 0 ? ".pem" : ".crt")),
                        "# certificate " + i + " — renewed\n" + Pem.encode(order.get(i).certificate()));
            }
            VerifiedBundle verified = new BundleVerifier(TrustBundle.load(bundle), clock()).verify(BUNDLE);

            assertThat(verified.signer()).isEqualTo(Certificates.identity(SIGNER.certificate()));
        }
    }

    private static void assertVerifiedInEveryOrder(Revocations revocations, SigningKey... bundle) {
        assertVerifiedInEveryOrder(BUNDLE, revocations, bundle);
    }

    private static void assertVerifiedInEveryOrder(SignedBundle signed, Revocations revocations, SigningKey... bundle) {
        for (List<SigningKey> order : orders(List.of(bundle))) {
            VerifiedBundle verified;
            try {
                verified = verifier(revocations, order).verify(signed);
            } catch (VerificationException e) {
                throw new AssertionError("rejected in order " + subjects(order) + ": " + e.reason() + ": " + e.getMessage(), e);
            }
            assertThat(verified.loaderHash()).isEqualTo(signed.loaderHash());
        }
    }

    private static void assertRejectedInEveryOrder(Revocations revocations, ReasonCode reason, String message,
            SigningKey... bundle) {
        assertRejectedInEveryOrder(BUNDLE, revocations, reason, message, bundle);
    }

    private static void assertRejectedInEveryOrder(SignedBundle signed, Revocations revocations, ReasonCode reason,
            String message, SigningKey... bundle) {
        String first = null;
        for (List<SigningKey> order : orders(List.of(bundle))) {
            VerificationException rejection = Rejections.rejection(verifier(revocations, order), signed, reason, message);
            first = first == null ? rejection.getMessage() : first;
            assertThat(rejection.getMessage()).as("message in order " + subjects(order)).isEqualTo(first);
        }
    }

    /** Every permutation of up to five certificates (120 orders); beyond, 50 shuffles from a fixed seed. */
    static List<List<SigningKey>> orders(List<SigningKey> keys) {
        List<List<SigningKey>> orders = new ArrayList<>();
        if (keys.size() <= 5) {
            permute(new ArrayList<>(keys), 0, orders);
        } else {
            Random random = new Random(42);
            for (int i = 0; i < 50; i++) {
                List<SigningKey> shuffled = new ArrayList<>(keys);
                Collections.shuffle(shuffled, random);
                orders.add(shuffled);
            }
        }
        return orders;
    }

    private static void permute(List<SigningKey> keys, int from, List<List<SigningKey>> out) {
        if (from == keys.size()) {
            out.add(List.copyOf(keys));
            return;
        }
        for (int i = from; i < keys.size(); i++) {
            Collections.swap(keys, from, i);
            permute(keys, from + 1, out);
            Collections.swap(keys, from, i);
        }
    }

    private static BundleVerifier verifier(Revocations revocations, List<SigningKey> order) {
        List<X509Certificate> certificates = order.stream().map(SigningKey::certificate).toList();
        return new BundleVerifier(TrustBundle.of(certificates, revocations), clock());
    }

    private static Clock clock() {
        return Clock.fixed(TestCertificates.DURING, ZoneOffset.UTC);
    }

    private static List<String> subjects(List<SigningKey> order) {
        return order.stream().map(key -> Certificates.describe(key.certificate())).toList();
    }
}
