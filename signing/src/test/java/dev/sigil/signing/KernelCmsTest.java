package dev.sigil.signing;

import static dev.sigil.signing.Rejections.assertRejected;
import static dev.sigil.signing.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERSequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel-form envelope: every element {@link KernelCms} checks, changed one at a time in the committed
 * fixture signatures (a structure-aware edit re-encoded as DER, so only that element differs), plus the nine
 * sites where Bouncy Castle's own CMS classes threw unchecked exceptions out of the old verifier.
 */
class KernelCmsTest {
    private static final byte[] RSA = Fixtures.signature(Fixtures.RSA);
    private static final byte[] EC = Fixtures.signature(Fixtures.EC);

    @Test
    void acceptsTheFixtureSignaturesAndNamesTheirSigner() throws Exception {
        for (String kind : List.of(Fixtures.RSA, Fixtures.EC)) {
            KernelCms parsed = KernelCms.parse(Fixtures.signature(kind));

            assertThat(parsed.signerKeyId()).isEqualTo(Certificates.subjectKeyId(Fixtures.key(kind).certificate()).orElseThrow());
            assertThat(parsed.verifies(Fixtures.LOADER, Fixtures.key(kind).certificate())).isTrue();
            assertThat(Fixtures.verifier().verify(Fixtures.bundle(Fixtures.signature(kind))).signer().subject())
                    .isEqualTo("CN=Sigil fixture " + kind.toUpperCase());
        }
        assertThat(SignatureInfo.of(RSA).signatureAlgorithm()).isEqualTo("1.2.840.113549.1.1.1");
        assertThat(SignatureInfo.of(EC).signatureAlgorithm()).isEqualTo("1.2.840.10045.4.3.2");
    }

    static Stream<Arguments> envelopeChanges() {
        ASN1Encodable sha1 = new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1);
        ASN1Encodable sha256 = new AlgorithmIdentifier(new org.bouncycastle.asn1.ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.1"));
        return Stream.of(
                change("outer contentType", RSA, new int[] {0}, CMSObjectIdentifiers.data,
                        "outer contentType is 1.2.840.113549.1.7.1, not signedData (1.2.840.113549.1.7.2)"),
                change("SignedData version 1", RSA, new int[] {1, 0}, new ASN1Integer(1),
                        "SignedData version is 1; the kernel form (signer named by SubjectKeyIdentifier) is version 3"),
                change("SignedData version 2", EC, new int[] {1, 0}, new ASN1Integer(2), "SignedData version is 2"),
                change("digestAlgorithms SHA-1", RSA, new int[] {1, 1}, new DERSet(sha1),
                        "SignedData digestAlgorithms is 1.3.14.3.2.26, not SHA-256"),
                change("two digestAlgorithms", RSA, new int[] {1, 1}, new DERSet(new ASN1Encodable[] {sha256, sha1}),
                        "SignedData digestAlgorithms lists 2 algorithms"),
                change("inner content type", EC, new int[] {1, 2, 0}, CMSObjectIdentifiers.signedData,
                        "inner eContentType is 1.2.840.113549.1.7.2, not id-data (1.2.840.113549.1.7.1)"),
                change("embedded content", EC, new int[] {1, 2}, new DERSequence(new ASN1Encodable[] {CMSObjectIdentifiers.data,
                        new DERTaggedObject(true, 0, new DEROctetString(Fixtures.LOADER))}), "signature embeds its content"),
                insert("embedded certificates", EC, new int[] {1}, 3, new DERTaggedObject(false, 0, new DERSet()),
                        "signature embeds certificates"),
                insert("embedded CRLs", EC, new int[] {1}, 3, new DERTaggedObject(false, 1, new DERSet()), "signature embeds CRLs"),
                change("two SignerInfos", RSA, new int[] {1, 3}, new DERSet(new ASN1Encodable[] {signerInfo(RSA), signerInfo(EC)}),
                        "signature has 2 SignerInfos; the kernel form has exactly one"),
                change("SignerInfo version 1", EC, new int[] {1, 3, 0, 0}, new ASN1Integer(1), "SignerInfo version is 1"),
                change("issuer and serial", EC, new int[] {1, 3, 0, 1}, new IssuerAndSerialNumber(new X500Name("CN=x"),
                        java.math.BigInteger.ONE), "names its signer by issuer and serial number"),
                change("empty key id", EC, new int[] {1, 3, 0, 1}, new DERTaggedObject(false, 0, new DEROctetString(new byte[0])),
                        "SignerInfo SubjectKeyIdentifier is empty"),
                change("SignerInfo digest SHA-1", RSA, new int[] {1, 3, 0, 2}, sha1, "SignerInfo digestAlgorithm is 1.3.14.3.2.26"),
                insert("SHA-256 with parameters", RSA, new int[] {1, 3, 0, 2}, 1, new DEROctetString(new byte[0]),
                        "SignerInfo digestAlgorithm has a OctetString parameters; SHA-256 has none"),
                insert("signed attributes", EC, new int[] {1, 3, 0}, 3, new DERTaggedObject(false, 0, new DERSet()),
                        "SignerInfo has signed attributes; the kernel form has none"),
                change("sha256WithRSAEncryption", RSA, new int[] {1, 3, 0, 3}, new AlgorithmIdentifier(
                        PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE),
                        "SignerInfo signatureAlgorithm is 1.2.840.113549.1.1.11; the kernel form is rsaEncryption"),
                change("rsaEncryption without NULL", RSA, new int[] {1, 3, 0, 3}, new AlgorithmIdentifier(
                        PKCSObjectIdentifiers.rsaEncryption), "signatureAlgorithm is 1.2.840.113549.1.1.1;"),
                change("ecdsa with NULL", EC, new int[] {1, 3, 0, 3}, new AlgorithmIdentifier(
                        X9ObjectIdentifiers.ecdsa_with_SHA256, DERNull.INSTANCE), "signatureAlgorithm is 1.2.840.10045.4.3.2"),
                change("ecdsa-with-SHA384", EC, new int[] {1, 3, 0, 3}, new AlgorithmIdentifier(
                        X9ObjectIdentifiers.ecdsa_with_SHA384), "signatureAlgorithm is 1.2.840.10045.4.3.3;"),
                change("empty signature value", EC, new int[] {1, 3, 0, 4}, new DEROctetString(new byte[0]),
                        "SignerInfo signature is empty"),
                insert("unsigned attributes", EC, new int[] {1, 3, 0}, 5, new DERTaggedObject(false, 1, new DERSet()),
                        "SignerInfo has unsigned attributes; the kernel form has none"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("envelopeChanges")
    void refusesEveryEnvelopeOutsideTheKernelForm(String change, byte[] signature, String message) {
        assertThat(signature).as("the change leaves DER").isEqualTo(der(signature));
        assertRejected(Fixtures.verifier(), Fixtures.bundle(signature), ReasonCode.MalformedSignature, message);
    }

    /** Issue 10.6: one flipped bit in the outer contentType used to verify; OpenSSL and the kernel refuse it. */
    @Test
    void refusesAFlippedBitInTheOuterContentType() {
        byte[] envelopedData = xor(RSA, 14, 0x01);

        assertRejected(Fixtures.verifier(), Fixtures.bundle(envelopedData), ReasonCode.MalformedSignature,
                "outer contentType is 1.2.840.113549.1.7.3, not signedData (1.2.840.113549.1.7.2)");
    }

    @Test
    void refusesBerTrailingBytesOversizeAndDeepNesting() {
        byte[] ber = encode(new BERSequence(((ASN1Sequence) parse(RSA)).toArray()), ASN1Encoding.BER);
        byte[] trailing = Arrays.copyOf(RSA, RSA.length + 2);
        byte[] oversize = new byte[KernelCms.MAX_DER_BYTES + 1];
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        for (int level = KernelCms.MAX_DER_BYTES / 2; level > 0; level--) {
            deep.write(0x30);
            deep.write(0x80); // indefinite length: the cheapest nesting, 2 bytes a level
        }

        assertRejected(Fixtures.verifier(), Fixtures.bundle(ber), ReasonCode.MalformedSignature, "is not in DER");
        assertRejected(Fixtures.verifier(), Fixtures.bundle(trailing), ReasonCode.MalformedSignature, "not DER ASN.1");
        assertRejected(Fixtures.verifier(), Fixtures.bundle(oversize), ReasonCode.MalformedSignature,
                "signature is 12289 bytes; the largest accepted is 12288");
        assertRejected(Fixtures.verifier(), Fixtures.bundle(deep.toByteArray()), ReasonCode.MalformedSignature,
                "maximum nested construction level");
    }

    /** offset and XOR mask (or byte value, or length) into the fixture signature, and where Bouncy Castle threw. */
    static Stream<Arguments> bouncyCastleExceptionSites() {
        return Stream.of(
                site(xor(RSA, 62, 0x04), "org.bouncycastle.asn1.ASN1Integer", "getInstance"),
                site(xor(RSA, 89, 0x01), "org.bouncycastle.asn1.ASN1ObjectIdentifier", "getInstance"),
                site(xor(RSA, 115, 0x02), "org.bouncycastle.asn1.ASN1OctetString", "getInstance"),
                site(xor(RSA, 58, 0x01), "org.bouncycastle.asn1.ASN1Sequence", "getInstance"),
                site(set(EC, 106, 0x00), "org.bouncycastle.asn1.ASN1TaggedObject", "getInstance"),
                site(xor(RSA, 65, 0x40), "org.bouncycastle.asn1.ASN1Util", "checkTagClass"),
                site(set(RSA, 88, 0x00), "org.bouncycastle.asn1.x509.AlgorithmIdentifier", "<init>"),
                site(set(RSA, 100, 0x80), "org.bouncycastle.asn1.ASN1UniversalType", "fromImplicitPrimitive"),
                site(set(EC, 54, 0x00), "org.bouncycastle.asn1.ASN1Sequence$2", "nextElement"));
    }

    @ParameterizedTest(name = "{1}.{2}")
    @MethodSource("bouncyCastleExceptionSites")
    void everyBouncyCastleExceptionSiteBecomesMalformedSignature(byte[] signature, String bcClass, String bcMethod) {
        Throwable raw = catchThrowable(() -> {
            CMSSignedData parsed = new CMSSignedData(new CMSProcessableByteArray(Fixtures.LOADER), signature);
            for (SignerInformation signer : parsed.getSignerInfos().getSigners()) {
                signer.getSID();
            }
        });
        assertThat(raw).as("Bouncy Castle's own CMS classes still throw there").isInstanceOf(RuntimeException.class)
                .isNotInstanceOf(CMSException.class);
        assertThat(raw.getStackTrace()[0].getClassName()).isEqualTo(bcClass);
        assertThat(raw.getStackTrace()[0].getMethodName()).isEqualTo(bcMethod);

        assertRejected(Fixtures.verifier(), Fixtures.bundle(signature), ReasonCode.MalformedSignature, "");
    }

    @Test
    void verifiesOnlyWithTheSignersKey() throws Exception {
        KernelCms parsed = KernelCms.parse(EC);

        assertThat(parsed.verifies(Fixtures.LOADER, Fixtures.key(Fixtures.EC).certificate())).isTrue();
        assertThat(parsed.verifies(LoaderHashV1.signedLoader(new byte[8], Fixtures.METADATA),
                Fixtures.key(Fixtures.EC).certificate())).isFalse();
        assertRefused(() -> parsed.verifies(Fixtures.LOADER, Fixtures.key(Fixtures.RSA).certificate()), ReasonCode.SignatureInvalid)
                .hasMessageStartingWith("signature cannot be checked with the key of 'CN=Sigil fixture RSA'");
    }

    private static Arguments change(String name, byte[] signature, int[] path, ASN1Encodable replacement, String message) {
        return Arguments.of(name, encode(edit(parse(signature), path, 0, replacement, -1), ASN1Encoding.DER), message);
    }

    private static Arguments insert(String name, byte[] signature, int[] path, int at, ASN1Encodable added, String message) {
        return Arguments.of(name, encode(edit(parse(signature), path, 0, added, at), ASN1Encoding.DER), message);
    }

    private static Arguments site(byte[] signature, String bcClass, String bcMethod) {
        return Arguments.of(signature, bcClass, bcMethod);
    }

    static byte[] xor(byte[] signature, int offset, int mask) {
        byte[] copy = signature.clone();
        copy[offset] ^= (byte) mask;
        return copy;
    }

    static byte[] set(byte[] signature, int offset, int value) {
        byte[] copy = signature.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    /**
     * Replaces the element at {@code path} (indices into sequences and sets; [n] EXPLICIT wrappers are passed
     * through), or inserts
     * {@code value} at index {@code insertAt} of the collection at {@code path}.
     */
    private static ASN1Encodable edit(ASN1Encodable node, int[] path, int depth, ASN1Encodable value, int insertAt) {
        if (node instanceof ASN1TaggedObject tagged && (depth < path.length || insertAt >= 0)) {
            return new DERTaggedObject(true, tagged.getTagNo(), edit(tagged.getExplicitBaseObject(), path, depth, value, insertAt));
        }
        if (depth == path.length) {
            if (insertAt < 0) {
                return value;
            }
            List<ASN1Encodable> elements = new java.util.ArrayList<>(List.of(elements(node)));
            elements.add(insertAt, value);
            return rebuild(node, elements.toArray(ASN1Encodable[]::new));
        }
        ASN1Encodable[] elements = elements(node);
        elements[path[depth]] = edit(elements[path[depth]], path, depth + 1, value, insertAt);
        return rebuild(node, elements);
    }

    private static ASN1Encodable[] elements(ASN1Encodable node) {
        return node instanceof ASN1Set set ? set.toArray() : ((ASN1Sequence) node).toArray();
    }

    private static ASN1Encodable rebuild(ASN1Encodable original, ASN1Encodable[] elements) {
        return original instanceof ASN1Set ? new DERSet(elements) : new DERSequence(elements);
    }

    private static ASN1Encodable signerInfo(byte[] signature) {
        return ((ASN1Set) ((ASN1Sequence) ((ASN1TaggedObject) ((ASN1Sequence) parse(signature)).getObjectAt(1))
                .getExplicitBaseObject()).getObjectAt(3)).getObjectAt(0);
    }

    private static ASN1Primitive parse(byte[] der) {
        try {
            return ASN1Primitive.fromByteArray(der);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(byte[] encoded) {
        return encode(parse(encoded), ASN1Encoding.DER);
    }

    private static byte[] encode(ASN1Encodable value, String encoding) {
        try {
            return value.toASN1Primitive().getEncoded(encoding);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
