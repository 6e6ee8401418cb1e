package dev.sigil.signing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates with exactly the extensions a test wants, including ones {@link SigningKeys} never
 * makes (no keyUsage, wrong extendedKeyUsage, a non-CA issuer).
 */
final class TestCertificates {
    static final Instant NOT_BEFORE = Instant.parse("2030-01-01T00:00:00Z");
    static final Instant NOT_AFTER = Instant.parse("2031-01-01T00:00:00Z");
    static final Instant DURING = Instant.parse("2030-06-01T00:00:00Z");

    /** Which extensions to put in: null leaves one out. */
    record Profile(Boolean ca, Integer keyUsage, KeyPurposeId extendedKeyUsage) {
        static Profile leaf() {
            return new Profile(false, KeyUsage.digitalSignature, KeyPurposeId.id_kp_codeSigning);
        }

        static Profile authority() {
            return new Profile(true, KeyUsage.digitalSignature | KeyUsage.keyCertSign, null);
        }
    }

    private TestCertificates() {
    }

    /** A key as {@link SigningKeys} makes it (EC P-256), valid from {@link #NOT_BEFORE} to {@link #NOT_AFTER}. */
    static SigningKey generated(String subject, Optional<SigningKey> issuer, boolean ca) {
        try {
            return SigningKeys.generate(KeySpec.ec("P-256"), subject, NOT_BEFORE, NOT_AFTER, issuer, ca);
        } catch (KeyMaterialException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key with a certificate for {@code subject}, signed by {@code issuer} or by itself when null. */
    static SigningKey issue(String subject, Profile profile, SigningKey issuer) {
        return issue(subject, profile, issuer, NOT_BEFORE, NOT_AFTER);
    }

    static SigningKey issue(String subject, Profile profile, SigningKey issuer, Instant notBefore, Instant notAfter) {
        return certify(ecKeyPair(), subject, profile, issuer, notBefore, notAfter, null);
    }

    /** An impostor: another key that claims {@code victim}'s SubjectKeyIdentifier and subject. */
    static SigningKey impostorOf(SigningKey victim, SigningKey issuer) {
        return certify(ecKeyPair(), victim.certificate().getSubjectX500Principal().getName(), Profile.leaf(), issuer,
                NOT_BEFORE, NOT_AFTER, Certificates.subjectKeyId(victim.certificate()).orElseThrow());
    }

    /** A new certificate for an existing key, as a renewal or a cross-signature makes one: same key, same SKID. */
    static SigningKey recertify(SigningKey key, Profile profile, SigningKey issuer, Instant notBefore, Instant notAfter) {
        return certify(new KeyPair(key.certificate().getPublicKey(), key.privateKey()),
                key.certificate().getSubjectX500Principal().getName(), profile, issuer, notBefore, notAfter, null);
    }

    private static SigningKey certify(KeyPair keyPair, String subject, Profile profile, SigningKey issuer,
            Instant notBefore, Instant notAfter, byte[] keyId) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X500Principal name = new X500Principal(subject);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer == null ? name : issuer.certificate().getSubjectX500Principal(),
                    BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter), name, keyPair.getPublic());
            builder.addExtension(Extension.subjectKeyIdentifier, false, keyId != null ? new SubjectKeyIdentifier(keyId)
                    : utils.createSubjectKeyIdentifier(keyPair.getPublic()));
            if (profile.ca() != null) {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(profile.ca()));
            }
            if (profile.keyUsage() != null) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(profile.keyUsage()));
            }
            if (profile.extendedKeyUsage() != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(profile.extendedKeyUsage()));
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(
                            issuer == null ? keyPair.getPrivate() : issuer.privateKey())));
            return new SigningKey(keyPair.getPrivate(), certificate);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test certificate for " + subject, e);
        }
    }
}
