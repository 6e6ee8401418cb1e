package dev.sigil.signing;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.Certificate;
import java.security.cert.PKIXCertPathChecker;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Set;

/**
 * Sigil's revocation lists as a PKIX check on every certificate of a path: a certificate is revoked by its
 * fingerprint, or by its public key, so a renewed twin (same key, new certificate) of a revoked certificate is
 * revoked too. It handles no extension and keeps no state, so forward checking is trivially supported.
 */
final class RevocationChecker extends PKIXCertPathChecker {
    private final Revocations revocations;

    RevocationChecker(Revocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public void init(boolean forward) {
        // Stateless: each certificate is looked up on its own.
    }

    @Override
    public boolean isForwardCheckingSupported() {
        return true;
    }

    @Override
    public Set<String> getSupportedExtensions() {
        return null;
    }

    @Override
    public void check(Certificate certificate, Collection<String> unresolvedCriticalExtensions)
            throws CertPathValidatorException {
        X509Certificate x509 = (X509Certificate) certificate;
        String fingerprint = Certificates.fingerprintSha256(x509);
        if (revocations.isCertificateRevoked(fingerprint)) {
            throw revoked("certificate " + Certificates.describe(x509) + " (SHA-256 " + fingerprint + ") is revoked");
        }
        String keyFingerprint = Certificates.publicKeySha256(x509);
        if (revocations.isKeyRevoked(keyFingerprint)) {
            throw revoked("the public key of certificate " + Certificates.describe(x509) + " (SHA-256 of its "
                    + "SubjectPublicKeyInfo " + keyFingerprint + ") is revoked");
        }
    }

    private static CertPathValidatorException revoked(String message) {
        return new CertPathValidatorException(message, null, null, -1, BasicReason.REVOKED);
    }
}
