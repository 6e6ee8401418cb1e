package dev.sigil.signing;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * A detached CMS signature in exactly the form the kernel's PKCS#7 parser takes for a BPF program and
 * {@code bpftool -S} writes (DESIGN §2). Bouncy Castle decodes the DER; this class checks the shape of
 * what it decoded, element by element, as {@code crypto/asymmetric_keys/pkcs7.asn1} and
 * {@code pkcs7_parser.c} do, and refuses anything else with {@link ReasonCode#MalformedSignature}:
 *
 * <pre>
 * ContentInfo  { contentType signedData, [0] EXPLICIT SignedData }            nothing after it
 * SignedData   { version 3, digestAlgorithms {sha256}, encapContentInfo { id-data } (no eContent),
 *                no certificates, no crls, signerInfos { exactly one SignerInfo } }
 * SignerInfo   { version 3, sid [0] SubjectKeyIdentifier, digestAlgorithm sha256, no signedAttrs,
 *                signatureAlgorithm rsaEncryption (NULL parameters) | ecdsa-with-SHA256 (none),
 *                signature, no unsignedAttrs }
 * </pre>
 *
 * Where the kernel is stricter than OpenSSL (the two versions, the inner content type) this follows the
 * kernel. Where both would take more than the kernel form (BER, signed or unsigned attributes, embedded
 * certificates or CRLs, other digests, issuer-and-serial signers) Sigil takes only the form Sigil and
 * bpftool produce: the README lists these differences and {@code KernelCmsOpenSslEquivalenceTest} checks them.
 */
public final class KernelCms {
    /** The largest DER signature accepted: what the schema's base64 maximum can hold. */
    public static final int MAX_DER_BYTES = SignedBundle.MAX_SIGNATURE_BASE64 / 4 * 3;

    private static final int CMS_VERSION_WITH_KEY_ID = 3;
    private static final int SIGNER_ID_KEY_ID_TAG = 0;
    private static final int SIGNED_ATTRIBUTES_TAG = 0;
    private static final int UNSIGNED_ATTRIBUTES_TAG = 1;
    private static final int CERTIFICATES_TAG = 0;
    private static final int CRLS_TAG = 1;

    private final ContentInfo contentInfo;
    private final byte[] signerKeyId;

    private KernelCms(ContentInfo contentInfo, byte[] signerKeyId) {
        this.contentInfo = contentInfo;
        this.signerKeyId = signerKeyId;
    }

    /** Parses and checks the envelope; nothing is verified yet. */
    public static KernelCms parse(byte[] der) throws VerificationException {
        if (der.length > MAX_DER_BYTES) {
            throw malformed("signature is " + der.length + " bytes; the largest accepted is " + MAX_DER_BYTES);
        }
        ASN1Primitive root = decodeDer(der);
        ASN1Sequence contentInfo = sequence(root, "ContentInfo", 2, 2);
        requireOid(contentInfo.getObjectAt(0), CMSObjectIdentifiers.signedData, "signedData", "outer contentType");
        ASN1Sequence signedData = sequence(explicit(contentInfo.getObjectAt(1), 0, "ContentInfo content"), "SignedData", 4, 6);
        requireVersion(signedData.getObjectAt(0), "SignedData");
        ASN1Set digestAlgorithms = set(signedData.getObjectAt(1), "SignedData digestAlgorithms");
        requireDetachedData(signedData.getObjectAt(2));
        requireNoCertificatesOrCrls(signedData);
        ASN1Set signerInfos = set(signedData.getObjectAt(signedData.size() - 1), "SignedData signerInfos");
        if (signerInfos.size() != 1) {
            throw malformed("signature has " + signerInfos.size() + " SignerInfos; the kernel form has exactly one");
        }
        ASN1Sequence signerInfo = sequence(signerInfos.getObjectAt(0), "SignerInfo", 5, 7);
        if (digestAlgorithms.size() != 1) {
            throw malformed("SignedData digestAlgorithms lists " + digestAlgorithms.size()
                    + " algorithms; the kernel form lists only SHA-256");
        }
        requireSha256(digestAlgorithms.getObjectAt(0), "SignedData digestAlgorithms");
        return fromSignerInfo(ContentInfo.getInstance(root), signerInfo);
    }

    /** The signer's SubjectKeyIdentifier, as the SignerInfo names it. */
    public byte[] signerKeyId() {
        return signerKeyId.clone();
    }

    /**
     * Whether the signature over {@code content} verifies with {@code certificate}'s public key.
     *
     * @throws VerificationException {@link ReasonCode#SignatureInvalid} when the key cannot check it at all
     */
    public boolean verifies(byte[] content, X509Certificate certificate) throws VerificationException {
        try {
            SignerInformation signer = new CMSSignedData(new CMSProcessableByteArray(content), contentInfo)
                    .getSignerInfos().getSigners().iterator().next();
            // The JDK's providers: its ECDSA verifies several times faster than Bouncy Castle's pure-Java one.
            return signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            throw new VerificationException(ReasonCode.SignatureInvalid, "signature cannot be checked with the key of "
                    + Certificates.describe(certificate) + ": " + Messages.oneLine(e), e);
        }
    }

    private static KernelCms fromSignerInfo(ContentInfo contentInfo, ASN1Sequence signerInfo) throws VerificationException {
        requireVersion(signerInfo.getObjectAt(0), "SignerInfo");
        byte[] keyId = subjectKeyId(signerInfo.getObjectAt(1));
        requireSha256(signerInfo.getObjectAt(2), "SignerInfo digestAlgorithm");
        int next = 3;
        if (signerInfo.getObjectAt(next) instanceof ASN1TaggedObject tagged && isContext(tagged, SIGNED_ATTRIBUTES_TAG)) {
            throw malformed("SignerInfo has signed attributes; the kernel form has none (OpenSSL -noattr)");
        }
        requireSignatureAlgorithm(signerInfo.getObjectAt(next++));
        ASN1OctetString signatureValue = octets(signerInfo.getObjectAt(next++), "SignerInfo signature");
        if (signatureValue.getOctets().length == 0) {
            throw malformed("SignerInfo signature is empty");
        }
        if (next < signerInfo.size()) {
            throw malformed(signerInfo.getObjectAt(next) instanceof ASN1TaggedObject tagged
                    && isContext(tagged, UNSIGNED_ATTRIBUTES_TAG)
                    ? "SignerInfo has unsigned attributes; the kernel form has none"
                    : "SignerInfo has " + (signerInfo.size() - next) + " unexpected element(s) after the signature");
        }
        return new KernelCms(contentInfo, keyId);
    }

    /** BER and trailing bytes would give one signature several encodings; the kernel form is one DER object. */
    private static ASN1Primitive decodeDer(byte[] der) throws VerificationException {
        ASN1Primitive root;
        try {
            root = ASN1Primitive.fromByteArray(der);
            if (root == null) {
                throw malformed("signature is empty");
            }
            if (!Arrays.equals(root.getEncoded(ASN1Encoding.DER), der)) {
                throw malformed("signature is not in DER (distinguished) encoding");
            }
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle reports truncation, bad lengths, bad tags and bad primitive contents this way.
            throw malformed("signature is not DER ASN.1: " + Messages.oneLine(e), e);
        }
        return root;
    }

    private static void requireVersion(ASN1Encodable element, String what) throws VerificationException {
        if (!(element instanceof ASN1Integer version)) {
            throw malformed(what + " version is " + describe(element) + ", not an INTEGER");
        }
        if (!version.hasValue(CMS_VERSION_WITH_KEY_ID)) {
            throw malformed(what + " version is " + version.getValue() + "; the kernel form (signer named by "
                    + "SubjectKeyIdentifier) is version " + CMS_VERSION_WITH_KEY_ID);
        }
    }

    /** The kernel checks the inner content type is id-data and takes the loader as detached data. */
    private static void requireDetachedData(ASN1Encodable element) throws VerificationException {
        ASN1Sequence encapsulated = sequence(element, "SignedData encapContentInfo", 1, 2);
        requireOid(encapsulated.getObjectAt(0), CMSObjectIdentifiers.data, "id-data", "inner eContentType");
        if (encapsulated.size() == 2) {
            throw malformed("signature embeds its content; the kernel form is detached (the loader is supplied)");
        }
    }

    private static void requireNoCertificatesOrCrls(ASN1Sequence signedData) throws VerificationException {
        for (int i = 3; i < signedData.size() - 1; i++) {
            ASN1Encodable element = signedData.getObjectAt(i);
            if (element instanceof ASN1TaggedObject tagged && isContext(tagged, CERTIFICATES_TAG)) {
                throw malformed("signature embeds certificates; the kernel form has none (the trust bundle supplies them)");
            }
            if (element instanceof ASN1TaggedObject tagged && isContext(tagged, CRLS_TAG)) {
                throw malformed("signature embeds CRLs; the kernel form has none");
            }
            throw malformed("SignedData has an unexpected " + describe(element) + " before signerInfos");
        }
    }

    private static byte[] subjectKeyId(ASN1Encodable element) throws VerificationException {
        if (!(element instanceof ASN1TaggedObject tagged && isContext(tagged, SIGNER_ID_KEY_ID_TAG))) {
            throw malformed("SignerInfo names its signer by " + (element instanceof ASN1Sequence ? "issuer and serial number"
                    : describe(element)) + "; the kernel form names it by SubjectKeyIdentifier ([0])");
        }
        if (tagged.isExplicit()) {
            throw malformed("SignerInfo SubjectKeyIdentifier is constructed; the kernel form is a primitive [0] OCTET STRING");
        }
        byte[] keyId = ASN1OctetString.getInstance(tagged, false).getOctets();
        if (keyId.length == 0) {
            throw malformed("SignerInfo SubjectKeyIdentifier is empty");
        }
        return keyId;
    }

    /** RFC 5754: SHA-256's parameters are absent (DER) or NULL (tolerated). */
    private static void requireSha256(ASN1Encodable element, String what) throws VerificationException {
        ASN1Sequence algorithm = sequence(element, what, 1, 2);
        requireOid(algorithm.getObjectAt(0), NISTObjectIdentifiers.id_sha256, "SHA-256", what);
        if (algorithm.size() == 2 && !(algorithm.getObjectAt(1) instanceof ASN1Null)) {
            throw malformed(what + " has " + describe(algorithm.getObjectAt(1)) + " parameters; SHA-256 has none");
        }
    }

    /** The kernel takes rsaEncryption for RSA ({@code -ENOPKG} for sha256WithRSAEncryption) and ecdsa-with-SHA*. */
    private static void requireSignatureAlgorithm(ASN1Encodable element) throws VerificationException {
        ASN1Sequence algorithm = sequence(element, "SignerInfo signatureAlgorithm", 1, 2);
        ASN1ObjectIdentifier oid = oid(algorithm.getObjectAt(0), "SignerInfo signatureAlgorithm");
        boolean nullParameters = algorithm.size() == 2 && algorithm.getObjectAt(1) instanceof ASN1Null;
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption) && nullParameters) {
            return;
        }
        if (oid.equals(X9ObjectIdentifiers.ecdsa_with_SHA256) && algorithm.size() == 1) {
            return;
        }
        throw malformed("SignerInfo signatureAlgorithm is " + oid.getId() + (algorithm.size() == 2 && !nullParameters
                ? " with " + describe(algorithm.getObjectAt(1)) + " parameters" : "")
                + "; the kernel form is rsaEncryption (NULL parameters) or ecdsa-with-SHA256 (no parameters)");
    }

    private static ASN1Sequence sequence(ASN1Encodable element, String what, int minSize, int maxSize)
            throws VerificationException {
        if (!(element instanceof ASN1Sequence sequence)) {
            throw malformed(what + " is " + describe(element) + ", not a SEQUENCE");
        }
        if (sequence.size() < minSize || sequence.size() > maxSize) {
            throw malformed(what + " has " + sequence.size() + " elements; expected "
                    + (minSize == maxSize ? String.valueOf(minSize) : minSize + " to " + maxSize));
        }
        return sequence;
    }

    private static ASN1Set set(ASN1Encodable element, String what) throws VerificationException {
        if (!(element instanceof ASN1Set set)) {
            throw malformed(what + " is " + describe(element) + ", not a SET");
        }
        return set;
    }

    private static ASN1OctetString octets(ASN1Encodable element, String what) throws VerificationException {
        if (!(element instanceof ASN1OctetString octets)) {
            throw malformed(what + " is " + describe(element) + ", not an OCTET STRING");
        }
        return octets;
    }

    private static ASN1ObjectIdentifier oid(ASN1Encodable element, String what) throws VerificationException {
        if (!(element instanceof ASN1ObjectIdentifier oid)) {
            throw malformed(what + " is " + describe(element) + ", not an OBJECT IDENTIFIER");
        }
        return oid;
    }

    private static void requireOid(ASN1Encodable element, ASN1ObjectIdentifier expected, String expectedName,
            String what) throws VerificationException {
        ASN1ObjectIdentifier actual = oid(element, what);
        if (!actual.equals(expected)) {
            throw malformed(what + " is " + actual.getId() + ", not " + expectedName + " (" + expected.getId() + ")");
        }
    }

    private static ASN1Encodable explicit(ASN1Encodable element, int tag, String what) throws VerificationException {
        if (!(element instanceof ASN1TaggedObject tagged && isContext(tagged, tag) && tagged.isExplicit())) {
            throw malformed(what + " is " + describe(element) + ", not [" + tag + "] EXPLICIT");
        }
        return tagged.getExplicitBaseObject();
    }

    private static boolean isContext(ASN1TaggedObject tagged, int tag) {
        return tagged.getTagClass() == BERTags.CONTEXT_SPECIFIC && tagged.getTagNo() == tag;
    }

    private static String describe(ASN1Encodable element) {
        if (element instanceof ASN1TaggedObject tagged) {
            return "a tagged object [" + tagged.getTagNo() + "] of class " + tagged.getTagClass();
        }
        return "a " + element.getClass().getSimpleName().replaceFirst("^(DER|DL|BER|ASN1)", "");
    }

    private static VerificationException malformed(String message) {
        return malformed(message, null);
    }

    private static VerificationException malformed(String message, Throwable cause) {
        return new VerificationException(ReasonCode.MalformedSignature, message, cause);
    }
}
