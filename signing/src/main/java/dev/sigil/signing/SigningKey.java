package dev.sigil.signing;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** A private key and its certificate, which must carry a SubjectKeyIdentifier (the signature names its signer by it). */
public record SigningKey(PrivateKey privateKey, X509Certificate certificate) {

    public SigningKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
    }

    /**
     * Reads a private key (PKCS#8 {@code BEGIN PRIVATE KEY}, or traditional {@code BEGIN RSA PRIVATE KEY} /
     * {@code BEGIN EC PRIVATE KEY}) and the certificate for it (the first in {@code certPem}). Accepts RSA
     * 2048-4096 and ECDSA P-256/P-384; refuses a key that does not match the certificate.
     */
    public static SigningKey load(Path keyPem, Path certPem) throws IOException, KeyMaterialException {
        PrivateKey privateKey = Pem.readPrivateKey(keyPem);
        List<X509Certificate> certificates = Pem.readCertificates(certPem);
        if (certificates.isEmpty()) {
            throw new KeyMaterialException(certPem + ": no PEM certificate found (expected BEGIN CERTIFICATE)");
        }
        X509Certificate certificate = certificates.getFirst();
        specOf(certificate.getPublicKey(), certPem.toString());
        if (Certificates.subjectKeyId(certificate).isEmpty()) {
            throw new KeyMaterialException(certPem + ": the certificate has no SubjectKeyIdentifier extension; "
                    + "Sigil's signatures name their signer by it (openssl: -addext subjectKeyIdentifier=hash)");
        }
        requireMatch(privateKey, certificate, keyPem, certPem);
        return new SigningKey(privateKey, certificate);
    }

    /** The key's kind and size. */
    public KeySpec spec() {
        try {
            return specOf(certificate.getPublicKey(), "certificate " + certificate.getSubjectX500Principal());
        } catch (KeyMaterialException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Lowercase hex of the certificate's SubjectKeyIdentifier. */
    public String subjectKeyId() {
        return Certificates.subjectKeyId(certificate).map(java.util.HexFormat.of()::formatHex)
                .orElseThrow(() -> new IllegalStateException("certificate has no SubjectKeyIdentifier"));
    }

    static KeySpec specOf(PublicKey key, String source) throws KeyMaterialException {
        try {
            return switch (key) {
                case java.security.interfaces.RSAPublicKey rsa -> KeySpec.rsa(rsa.getModulus().bitLength());
                case java.security.interfaces.ECPublicKey ec -> KeySpec.ec(curveOf(ec, source));
                default -> throw new KeyMaterialException(source + ": " + key.getAlgorithm()
                        + " keys are not supported; use RSA 2048-4096 or EC P-256/P-384");
            };
        } catch (IllegalArgumentException e) {
            throw new KeyMaterialException(source + ": " + e.getMessage(), e);
        }
    }

    private static String curveOf(java.security.interfaces.ECPublicKey key, String source) throws KeyMaterialException {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        if (!(info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)) {
            throw new KeyMaterialException(source + ": EC key with explicit curve parameters; use a named curve");
        }
        if (curve.equals(SECObjectIdentifiers.secp256r1) || curve.equals(X9ObjectIdentifiers.prime256v1)) {
            return "P-256";
        }
        if (curve.equals(SECObjectIdentifiers.secp384r1)) {
            return "P-384";
        }
        throw new KeyMaterialException(source + ": EC curve " + curve.getId() + " is not supported; use P-256 or P-384");
    }

    private static void requireMatch(PrivateKey privateKey, X509Certificate certificate, Path keyPem, Path certPem)
            throws KeyMaterialException {
        KeySpec spec = specOf(certificate.getPublicKey(), certPem.toString());
        byte[] probe = "sigil key/certificate match".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(spec.signatureAlgorithm(), SigningProvider.BC);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(spec.signatureAlgorithm(), SigningProvider.BC);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new KeyMaterialException(keyPem + " is not the private key for the certificate in " + certPem);
        }
    }
}
