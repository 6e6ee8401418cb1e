package dev.sigil.signing;

import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

/**
 * What a CMS signature says about itself, without verifying it: for inspection.
 *
 * @param signerKeyId              the signer's SubjectKeyIdentifier (lowercase hex), when it is named that way
 * @param signerIssuerAndSerial    the signer's issuer and serial, when it is named that way instead
 * @param digestAlgorithm          digest algorithm OID
 * @param signatureAlgorithm       SignerInfo signature algorithm OID (RSA: 1.2.840.113549.1.1.1 rsaEncryption)
 * @param signers                  number of SignerInfos
 * @param embeddedCertificates     number of certificates carried in the SignedData
 * @param signedAttributes         whether the (first) signer has signed attributes
 */
public record SignatureInfo(Optional<String> signerKeyId, Optional<String> signerIssuerAndSerial, String digestAlgorithm,
        String signatureAlgorithm, int signers, int embeddedCertificates, boolean signedAttributes) {

    public static SignatureInfo of(byte[] der) throws VerificationException {
        try {
            CMSSignedData signed = new CMSSignedData(der);
            if (signed.getSignerInfos().size() == 0) {
                throw new VerificationException(ReasonCode.MalformedSignature, "signature has no signers");
            }
            SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
            byte[] keyId = signer.getSID().getSubjectKeyIdentifier();
            SignedData structure = SignedData.getInstance(signed.toASN1Structure().getContent());
            return new SignatureInfo(
                    Optional.ofNullable(keyId).map(HexFormat.of()::formatHex),
                    keyId != null ? Optional.empty()
                            : Optional.of(signer.getSID().getIssuer() + " serial " + signer.getSID().getSerialNumber()),
                    signer.getDigestAlgOID(),
                    signer.getEncryptionAlgOID(),
                    signed.getSignerInfos().size(),
                    structure.getCertificates() == null ? 0 : structure.getCertificates().size(),
                    signer.getSignedAttributes() != null);
        } catch (CMSException | RuntimeException e) {
            throw new VerificationException(ReasonCode.MalformedSignature, "signature is not DER CMS SignedData: "
                    + e.getMessage(), e);
        }
    }

    /** An algorithm OID with its name, e.g. {@code SHA256 (2.16.840.1.101.3.4.2.1)}. */
    public static String describeAlgorithm(String oid) {
        String name = new DefaultAlgorithmNameFinder().getAlgorithmName(new ASN1ObjectIdentifier(oid));
        return name.equals(oid) ? oid : name + " (" + oid + ")";
    }

    /** The signer as a person reads it: {@code SKID <hex>} or {@code <issuer> serial <n>}. */
    public String signer() {
        return signerKeyId.map(id -> "SKID " + id).orElseGet(() -> signerIssuerAndSerial.orElse("unnamed"));
    }
}
