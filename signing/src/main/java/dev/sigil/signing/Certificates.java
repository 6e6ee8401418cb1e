package dev.sigil.signing;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/** The few facts about an X.509 certificate Sigil reports and matches on. */
public final class Certificates {
    private Certificates() {
    }

    /** The SubjectKeyIdentifier extension's key identifier, if the certificate has one. */
    public static Optional<byte[]> subjectKeyId(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            return Optional.empty();
        }
        byte[] inner = ASN1OctetString.getInstance(extension).getOctets();
        return Optional.of(SubjectKeyIdentifier.getInstance(inner).getKeyIdentifier());
    }

    /** Lowercase hex SHA-256 of the DER certificate: what certificate revocation lists name. */
    public static String fingerprintSha256(X509Certificate certificate) {
        try {
            return Sha256.hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate re-encodes", e);
        }
    }

    /** Subject, SKID, fingerprint and end of validity, as status reports show the signer. */
    public static SignerIdentity identity(X509Certificate certificate) {
        return new SignerIdentity(
                certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                subjectKeyId(certificate).map(HexFormat.of()::formatHex).orElse(""),
                fingerprintSha256(certificate),
                certificate.getNotAfter().toInstant());
    }

    static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }
}
