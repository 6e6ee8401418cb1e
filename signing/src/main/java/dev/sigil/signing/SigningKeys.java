package dev.sigil.signing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Makes signing keys with their certificates, and writes them as {@code key.pem} + {@code cert.pem}. */
public final class SigningKeys {
    public static final String KEY_FILE = "key.pem";
    public static final String CERT_FILE = "cert.pem";
    /** Allowance for clocks slightly behind the one that made the certificate. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SigningKeys() {
    }

    /**
     * A new key and certificate valid from now for {@code validity}: a self-signed CA when no issuer is
     * given, else a code-signing certificate issued by {@code issuer} (which must be a CA).
     */
    public static SigningKey generate(KeySpec spec, String subjectDn, Duration validity, Optional<SigningKey> issuer)
            throws KeyMaterialException {
        Instant now = Instant.now();
        return generate(spec, subjectDn, now.minus(BACKDATE), now.plus(validity), issuer, issuer.isEmpty());
    }

    /**
     * A new key and certificate with explicit validity. Every certificate carries keyUsage
     * digitalSignature, extendedKeyUsage codeSigning and a SubjectKeyIdentifier; a CA certificate
     * ({@code certificateAuthority}) also basicConstraints CA and keyUsage keyCertSign, so it can issue others.
     */
    public static SigningKey generate(KeySpec spec, String subjectDn, Instant notBefore, Instant notAfter,
            Optional<SigningKey> issuer, boolean certificateAuthority) throws KeyMaterialException {
        if (!notAfter.isAfter(notBefore)) {
            throw new KeyMaterialException("certificate validity must end after it starts (" + notBefore + " .. "
                    + notAfter + ")");
        }
        X500Principal subject = principal(subjectDn);
        KeyPair keyPair = newKeyPair(spec);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X500Principal issuerName = issuer.map(i -> i.certificate().getSubjectX500Principal()).orElse(subject);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter),
                    subject, keyPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(certificateAuthority));
            int usage = KeyUsage.digitalSignature | (certificateAuthority ? KeyUsage.keyCertSign | KeyUsage.cRLSign : 0);
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
            if (issuer.isPresent()) {
                X509Certificate issuerCertificate = requireCertificateAuthority(issuer.get().certificate());
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(issuerCertificate));
            }
            java.security.PrivateKey signingKey = issuer.map(SigningKey::privateKey).orElse(keyPair.getPrivate());
            String algorithm = SigningKey.specOf(issuer.map(i -> i.certificate().getPublicKey())
                    .orElse(keyPair.getPublic()), "issuer key").signatureAlgorithm();
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(algorithm).setProvider(SigningProvider.BC).build(signingKey)));
            return new SigningKey(keyPair.getPrivate(), certificate);
        } catch (CertIOException | GeneralSecurityException | OperatorCreationException e) {
            throw new KeyMaterialException("cannot create a certificate for " + subjectDn + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code key.pem} (PKCS#8, mode 0600) and {@code cert.pem} into {@code dir}; refuses to overwrite a key. */
    public static void write(SigningKey key, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path keyFile = dir.resolve(KEY_FILE);
        Path certFile = dir.resolve(CERT_FILE);
        if (Files.exists(keyFile)) {
            throw new java.nio.file.FileAlreadyExistsException(keyFile.toString(), null,
                    "a key is already there; remove it or choose another --out directory");
        }
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, Pem.encodePrivateKey(key.privateKey()), StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        Files.writeString(certFile, Pem.encode(key.certificate()), StandardCharsets.US_ASCII);
    }

    private static KeyPair newKeyPair(KeySpec spec) throws KeyMaterialException {
        try {
            return switch (spec) {
                case KeySpec.Rsa rsa -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(rsa.bits(), RANDOM);
                    yield generator.generateKeyPair();
                }
                case KeySpec.Ec ec -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec(ec.stdName()), RANDOM);
                    yield generator.generateKeyPair();
                }
            };
        } catch (GeneralSecurityException e) {
            throw new KeyMaterialException("cannot generate a " + spec + " key: " + e.getMessage(), e);
        }
    }

    private static X500Principal principal(String subjectDn) throws KeyMaterialException {
        try {
            return new X500Principal(subjectDn);
        } catch (IllegalArgumentException e) {
            throw new KeyMaterialException("subject '" + subjectDn + "' is not a distinguished name (e.g. CN=release,O=example): "
                    + e.getMessage(), e);
        }
    }

    private static X509Certificate requireCertificateAuthority(X509Certificate issuer) throws KeyMaterialException {
        if (issuer.getBasicConstraints() < 0) {
            throw new KeyMaterialException("issuer " + issuer.getSubjectX500Principal().getName(X500Principal.RFC2253)
                    + " is not a CA certificate (basicConstraints CA:TRUE missing); it cannot issue keys");
        }
        boolean[] usage = issuer.getKeyUsage();
        if (usage != null && !usage[5]) {
            throw new KeyMaterialException("issuer " + issuer.getSubjectX500Principal().getName(X500Principal.RFC2253)
                    + " may not sign certificates (keyUsage keyCertSign missing)");
        }
        return issuer;
    }
}
