package dev.sigil.signing;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/** The few facts about an X.509 certificate Sigil reports and matches on. */
public final class Certificates {
    /** Newest first (latest notAfter), then by fingerprint: an order that no file name or bundle order changes. */
    static final Comparator<X509Certificate> CANONICAL_ORDER = Comparator
            .comparing((X509Certificate certificate) -> certificate.getNotAfter()).reversed()
            .thenComparing(Certificates::fingerprintSha256);

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

    /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo: what key revocation lists name; renewals share it. */
    public static String publicKeySha256(X509Certificate certificate) {
        return Sha256.hex(certificate.getPublicKey().getEncoded());
    }

    /** The subject as messages quote it: {@code 'CN=release,O=example'}. */
    static String describe(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName(X500Principal.RFC2253) + "'";
    }

    /** Subject, SKID, fingerprint and end of validity, as status reports show the signer. */
    public static SignerIdentity identity(X509Certificate certificate) {
        return new SignerIdentity(
                certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                subjectKeyId(certificate).map(HexFormat.of()::formatHex).orElse(""),
                fingerprintSha256(certificate),
                certificate.getNotAfter().toInstant());
    }
}
