package dev.sigil.signing;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The intent's detached CMS signature: SignedData over a signed intent's canonical bytes (RFC 8785 JSON), SHA-256, signed
 * attributes (content type, message digest, signing time, algorithm protection), no certificates, the signer
 * named by its SubjectKeyIdentifier. The kernel never sees it, so unlike the loader's signature it may carry
 * attributes; RSA signers write {@code rsaEncryption} as OpenSSL does, so {@code openssl cms -verify} accepts it.
 * It must be by the certificate that signed the loader.
 */
public final class IntentSignatures {
    private IntentSignatures() {
    }

    /** DER CMS SignedData over {@code canonicalIntent} (detached). */
    public static byte[] sign(byte[] canonicalIntent, SigningKey key) {
        try {
            return CmsSigner.detached(canonicalIntent, key, false);
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new IllegalStateException("CMS signing of the intent failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code signature} is one SHA-256 signature by {@code loaderSigner} over {@code canonicalIntent}.
     *
     * @return the signing time the signature states, if any
     * @throws VerificationException {@link ReasonCode#IntentSignatureInvalid} naming what is wrong
     */
    public static Optional<Instant> verify(byte[] canonicalIntent, byte[] signature, X509Certificate loaderSigner)
            throws VerificationException {
        SignerInformation signer = onlySigner(canonicalIntent, signature);
        if (!signer.getSID().match(holder(loaderSigner))) {
            throw invalid("the intent is signed by " + describe(signer) + ", not by the loader's signer "
                    + subject(loaderSigner));
        }
        boolean valid;
        try {
            // The JDK's providers, as for the loader's signature: verifying never builds Bouncy Castle's provider.
            valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(loaderSigner));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            throw invalid("the intent signature by " + subject(loaderSigner) + " does not verify: " + e.getMessage());
        }
        if (!valid) {
            throw invalid("the intent signature by " + subject(loaderSigner) + " does not verify over the intent");
        }
        return signingTime(signer);
    }

    private static SignerInformation onlySigner(byte[] canonicalIntent, byte[] signature) throws VerificationException {
        Collection<SignerInformation> signers;
        try {
            signers = new CMSSignedData(new CMSProcessableByteArray(canonicalIntent), signature).getSignerInfos().getSigners();
        } catch (CMSException | RuntimeException e) {
            throw invalid("spec.intentSignature is not DER CMS SignedData: " + e.getMessage());
        }
        if (signers.size() != 1) {
            throw invalid("spec.intentSignature has " + signers.size() + " signers; exactly one is expected");
        }
        SignerInformation signer = signers.iterator().next();
        if (!NISTObjectIdentifiers.id_sha256.getId().equals(signer.getDigestAlgOID())) {
            throw invalid("spec.intentSignature uses digest algorithm " + signer.getDigestAlgOID() + "; SHA-256 is expected");
        }
        return signer;
    }

    private static Optional<Instant> signingTime(SignerInformation signer) {
        if (signer.getSignedAttributes() == null) {
            return Optional.empty();
        }
        Attribute attribute = signer.getSignedAttributes().get(CMSAttributes.signingTime);
        if (attribute == null || attribute.getAttrValues().size() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(Time.getInstance(attribute.getAttrValues().getObjectAt(0)).getDate().toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static JcaX509CertificateHolder holder(X509Certificate certificate) throws VerificationException {
        try {
            return new JcaX509CertificateHolder(certificate);
        } catch (CertificateEncodingException e) {
            throw invalid("the signer certificate " + subject(certificate) + " cannot be encoded: " + e.getMessage());
        }
    }

    private static String describe(SignerInformation signer) {
        byte[] keyId = signer.getSID().getSubjectKeyIdentifier();
        return keyId != null ? "SKID " + java.util.HexFormat.of().formatHex(keyId)
                : signer.getSID().getIssuer() + " serial " + signer.getSID().getSerialNumber();
    }

    private static String subject(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName(X500Principal.RFC2253) + "'";
    }

    private static VerificationException invalid(String message) {
        return new VerificationException(ReasonCode.IntentSignatureInvalid, message);
    }
}
