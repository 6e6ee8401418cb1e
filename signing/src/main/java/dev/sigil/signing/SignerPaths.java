package dev.sigil.signing;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Every candidate certification path from a signer certificate up to a self-signed certificate of the trust
 * bundle: each step goes to every bundle certificate whose subject is the issuer's name (a cross-signed
 * intermediate offers several). Paths are only proposed here; {@link PathValidation} decides each with PKIX.
 * Issuers are tried in fingerprint order, so the paths and the dead ends come out the same whatever the
 * order of the bundle's files and certificates.
 *
 * @param complete paths from the signer (first) to a self-signed certificate (last)
 * @param deadEnds why the other branches ended: an issuer missing from the bundle, or a chain too long
 */
record SignerPaths(List<List<X509Certificate>> complete, List<VerificationException> deadEnds) {
    static final int MAX_CHAIN_LENGTH = 8;
    static final int MAX_PATHS = 64;

    static SignerPaths search(X509Certificate signer, TrustBundle trust) {
        SignerPaths paths = new SignerPaths(new ArrayList<>(), new ArrayList<>());
        List<X509Certificate> ordered = trust.anchors().stream().sorted(Certificates.CANONICAL_ORDER).toList();
        paths.extend(new ArrayList<>(List.of(signer)), ordered, trust);
        return paths;
    }

    private void extend(List<X509Certificate> path, List<X509Certificate> bundle, TrustBundle trust) {
        if (complete.size() == MAX_PATHS) {
            return;
        }
        X509Certificate last = path.getLast();
        if (trust.isSelfSigned(last)) {
            complete.add(List.copyOf(path));
            return;
        }
        if (path.size() == MAX_CHAIN_LENGTH) {
            deadEnds.add(untrusted("certificate chain of " + Certificates.describe(path.getFirst()) + " is longer than "
                    + MAX_CHAIN_LENGTH + " without reaching a self-signed certificate"));
            return;
        }
        List<X509Certificate> issuers = bundle.stream()
                .filter(candidate -> candidate.getSubjectX500Principal().equals(last.getIssuerX500Principal()))
                .filter(candidate -> !path.contains(candidate))
                .toList();
        if (issuers.isEmpty()) {
            deadEnds.add(untrusted("certificate " + Certificates.describe(last) + " was issued by "
                    + last.getIssuerX500Principal().getName(X500Principal.RFC2253) + ", which is not in the trust bundle"));
        }
        for (X509Certificate issuer : issuers) {
            path.add(issuer);
            extend(path, bundle, trust);
            path.removeLast();
        }
    }

    /** Self-issued and signed by its own key: a trust anchor. A self-issued key-rollover certificate is not one. */
    static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static VerificationException untrusted(String message) {
        return new VerificationException(ReasonCode.UntrustedSigner, message);
    }
}
