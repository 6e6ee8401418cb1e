package dev.sigil.signing;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** PEM files in and out: private keys (PKCS#8 and traditional OpenSSL forms) and X.509 certificates. */
final class Pem {
    private Pem() {
    }

    static PrivateKey readPrivateKey(Path file) throws IOException, KeyMaterialException {
        return readPrivateKeyText(Utf8.decode(Files.readAllBytes(file), file.toString()), file.toString());
    }

    static PrivateKey readPrivateKeyText(String text, String file) throws KeyMaterialException {
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                PrivateKeyInfo info = switch (item) {
                    case PrivateKeyInfo pkcs8 -> pkcs8;
                    case PEMKeyPair traditional -> traditional.getPrivateKeyInfo();
                    case PEMEncryptedKeyPair ignored -> throw encrypted(file);
                    case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(file);
                    // "BEGIN EC PARAMETERS" precedes the key in `openssl ecparam -genkey` output.
                    case ASN1ObjectIdentifier ignored -> null;
                    case X9ECParameters ignored -> null;
                    default -> throw new KeyMaterialException(file + ": expected a private key, found "
                            + describe(item));
                };
                if (info != null) {
                    return new JcaPEMKeyConverter().getPrivateKey(info);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new KeyMaterialException(file + ": not a readable PEM private key: " + Messages.oneLine(e), e);
        }
        throw new KeyMaterialException(file + ": no PEM private key found (expected BEGIN PRIVATE KEY, "
                + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }

    /** Every certificate in the file, in order; an empty list when it holds none. */
    static List<X509Certificate> readCertificates(Path file) throws IOException, KeyMaterialException {
        return readCertificates(Utf8.decode(Files.readAllBytes(file), file.toString()), file.toString());
    }

    /**
     * Every certificate in the PEM text, in order. Text outside the BEGIN/END lines is explanatory (RFC 7468);
     * any PEM object that is not a certificate, or one that does not decode, is refused naming {@code sourceName}.
     */
    static List<X509Certificate> readCertificates(String text, String sourceName) throws KeyMaterialException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (!(item instanceof X509CertificateHolder holder)) {
                    throw new KeyMaterialException(sourceName + ": expected only certificates, found "
                            + describe(item));
                }
                certificates.add(toCertificate(holder, sourceName));
            }
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle reports bad base64, a missing END line and undecodable DER this way.
            throw new KeyMaterialException(sourceName + ": not a readable PEM certificate: " + Messages.oneLine(e), e);
        }
        return certificates;
    }

    static X509Certificate toCertificate(X509CertificateHolder holder, String sourceName) throws KeyMaterialException {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new KeyMaterialException(sourceName + ": unusable certificate: " + Messages.oneLine(e), e);
        }
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}): unlike the traditional forms it always names an EC key's curve. */
    static String encodePrivateKey(PrivateKey key) {
        try {
            return encode(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encode a " + key.getAlgorithm() + " key as PKCS#8", e);
        }
    }

    static String encode(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory cannot fail", e);
        }
        return text.toString();
    }

    private static KeyMaterialException encrypted(String file) {
        return new KeyMaterialException(file + ": the private key is encrypted; Sigil reads unencrypted keys "
                + "(decrypt with: openssl pkey -in KEY -out PLAIN.pem)");
    }

    private static String describe(Object item) {
        return item instanceof X509CertificateHolder ? "a certificate" : item.getClass().getSimpleName();
    }
}
