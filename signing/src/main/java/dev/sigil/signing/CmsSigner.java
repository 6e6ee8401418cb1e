package dev.sigil.signing;

import java.io.IOException;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignatureEncryptionAlgorithmFinder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultCMSSignatureEncryptionAlgorithmFinder;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The CMS form the kernel and {@code bpftool -S} use (OpenSSL flags NOCERTS|BINARY|DETACHED|NOATTR|USE_KEYID):
 * SignedData over detached content, SHA-256, no signed attributes, no certificates, the signer named by
 * its SubjectKeyIdentifier. For RSA the SignerInfo's signature algorithm is {@code rsaEncryption}, as
 * OpenSSL writes it; the kernel refuses {@code sha256WithRSAEncryption} there ({@code -ENOPKG}).
 */
public final class CmsSigner {
    private static final Set<ASN1ObjectIdentifier> RSA_SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption,
            PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            PKCSObjectIdentifiers.rsaEncryption);

    /** OpenSSL's choice: plain {@code rsaEncryption} for RSA, the signature algorithm itself (ecdsa-with-SHA256) otherwise. */
    static final CMSSignatureEncryptionAlgorithmFinder OPENSSL_ALGORITHMS = new CMSSignatureEncryptionAlgorithmFinder() {
        private final CMSSignatureEncryptionAlgorithmFinder defaults = new DefaultCMSSignatureEncryptionAlgorithmFinder();

        @Override
        public AlgorithmIdentifier findEncryptionAlgorithm(AlgorithmIdentifier signatureAlgorithm) {
            if (RSA_SIGNATURES.contains(signatureAlgorithm.getAlgorithm())) {
                return new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
            }
            return defaults.findEncryptionAlgorithm(signatureAlgorithm);
        }
    };

    private CmsSigner() {
    }

    /** DER CMS SignedData over {@code content} (detached). */
    public static byte[] sign(byte[] content, SigningKey key) {
        try {
            return detached(content, key, true);
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new IllegalStateException("CMS signing failed: " + e.getMessage(), e);
        }
    }

    /**
     * DER CMS SignedData over {@code content}, detached, one signer named by its SubjectKeyIdentifier, with OpenSSL's
     * algorithm identifiers; {@code directSignature}: no signed attributes (the loader's signature, as the kernel
     * checks it), else with them (the intent's, which carries its signing time).
     */
    static byte[] detached(byte[] content, SigningKey key, boolean directSignature)
            throws OperatorCreationException, CMSException, IOException {
        ContentSigner contentSigner = new JcaContentSignerBuilder(key.spec().signatureAlgorithm())
                .setProvider(SigningProvider.BC).build(key.privateKey());
        SignerInfoGenerator signerInfo = new SignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(SigningProvider.BC).build(), OPENSSL_ALGORITHMS)
                .setDirectSignature(directSignature)
                .build(contentSigner, Certificates.subjectKeyId(key.certificate()).orElseThrow(
                        () -> new IllegalArgumentException("the signing certificate has no SubjectKeyIdentifier")));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(signerInfo);
        CMSSignedData signed = generator.generate(new CMSProcessableByteArray(content), false);
        return signed.toASN1Structure().getEncoded(ASN1Encoding.DER);
    }
}
