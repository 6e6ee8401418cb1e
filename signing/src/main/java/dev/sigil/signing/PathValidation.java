package dev.sigil.signing;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Decides one candidate path with the JDK's PKIX validator (RFC 5280: signatures, validity at {@code now},
 * basicConstraints and keyCertSign of every issuer, path length and name constraints, unknown critical
 * extensions, the JDK's disabled algorithms) plus Sigil's {@link RevocationChecker}. The self-signed root is
 * both the trust anchor and the last certificate of the path, so its own validity and revocation are checked
 * like every other certificate's.
 */
final class PathValidation {
    private final Revocations revocations;
    private final Instant now;

    PathValidation(Revocations revocations, Instant now) {
        this.revocations = revocations;
        this.now = now;
    }

    /** @throws VerificationException with the reason of the first check the path fails */
    void validate(List<X509Certificate> path) throws VerificationException {
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(path.getLast(), null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            parameters.addCertPathChecker(new RevocationChecker(revocations));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            throw reasonOf(e, path);
        } catch (CertificateException | InvalidAlgorithmParameterException e) {
            throw new VerificationException(ReasonCode.UntrustedSigner, "certificate path of "
                    + Certificates.describe(path.getFirst()) + " cannot be checked: " + Messages.oneLine(e), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides PKIX validation", e);
        }
    }

    private VerificationException reasonOf(CertPathValidatorException e, List<X509Certificate> path) {
        int index = e.getIndex();
        X509Certificate certificate = index >= 0 && index < path.size() ? path.get(index) : path.getFirst();
        String subject = Certificates.describe(certificate);
        if (e.getReason() == BasicReason.REVOKED) {
            return new VerificationException(ReasonCode.Revoked, Messages.oneLine(e), e);
        }
        if (e.getReason() == BasicReason.EXPIRED) {
            return new VerificationException(ReasonCode.CertificateExpired, "certificate " + subject + " expired at "
                    + certificate.getNotAfter().toInstant() + " (now " + now + ")", e);
        }
        if (e.getReason() == BasicReason.NOT_YET_VALID) {
            return new VerificationException(ReasonCode.CertificateNotYetValid, "certificate " + subject
                    + " is not valid before " + certificate.getNotBefore().toInstant() + " (now " + now + ")", e);
        }
        String issuer = index + 1 < path.size() && index >= 0 ? Certificates.describe(path.get(index + 1)) : subject;
        String detail;
        if (e.getReason() == BasicReason.INVALID_SIGNATURE) {
            detail = "certificate " + subject + " was not signed by the key of " + issuer + ", which bears its issuer's name";
        } else if (e.getReason() == PKIXReason.NOT_CA_CERT || e.getReason() == PKIXReason.INVALID_KEY_USAGE) {
            detail = "certificate " + subject + " issued part of the signer's chain but is not a CA "
                    + "(basicConstraints CA and keyCertSign)";
        } else if (e.getReason() == PKIXReason.PATH_TOO_LONG) {
            detail = "the chain of " + Certificates.describe(path.getFirst()) + " is longer than the pathLenConstraint of "
                    + issuer + " allows";
        } else {
            detail = "certificate " + subject + " fails validation: " + Messages.oneLine(e);
        }
        return new VerificationException(ReasonCode.UntrustedSigner, detail, e);
    }
}
