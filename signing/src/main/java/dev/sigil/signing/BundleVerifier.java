package dev.sigil.signing;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Checks a {@link SignedBundle} against a {@link TrustBundle}, in userspace, before anything reaches a
 * kernel. Each step is one method with one {@link ReasonCode}; the first failing step decides.
 * Structure comes first (protocol, CMS shape, loader shape, metadata hash, prologue), then the signer
 * (found by SubjectKeyIdentifier among the bundle's certificates), the signature, the chain to a
 * self-signed certificate in the bundle, revocation, validity, and the signer's key usage.
 */
public final class BundleVerifier {
    private static final int MAX_CHAIN_LENGTH = 8;
    private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;
    private static final int KEY_USAGE_KEY_CERT_SIGN = 5;
    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

    private final TrustBundle trust;
    private final Clock clock;

    public BundleVerifier(TrustBundle trust, Clock clock) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public VerifiedBundle verify(SignedBundle bundle) throws VerificationException {
        requireSupportedProtocol(bundle);
        SignerInformation signerInfo = parseSignature(bundle);
        requireWellFormedLoader(bundle);
        requireWellFormedMetadata(bundle);
        requireMatchingMetadataHash(bundle);
        requirePrologue(bundle);
        X509Certificate signer = findSigner(signerInfo);
        requireValidSignature(signerInfo, signer);
        List<X509Certificate> chain = buildChain(signer);
        requireNotRevoked(chain, bundle);
        requireCurrentlyValid(chain);
        requireCodeSigningUsage(signer);
        return new VerifiedBundle(bundle, Certificates.identity(signer), bundle.loaderHash());
    }

    private void requireSupportedProtocol(SignedBundle bundle) throws VerificationException {
        if (!LoaderHashV1.NAME.equals(bundle.protocol())) {
            throw new VerificationException(ReasonCode.UnsupportedProtocol, "protocol '" + bundle.protocol()
                    + "' is not supported; this verifier knows " + LoaderHashV1.NAME);
        }
    }

    /** The signature must be CMS SignedData with exactly one SHA-256 signer, over the loader as detached content. */
    private SignerInformation parseSignature(SignedBundle bundle) throws VerificationException {
        CMSSignedData signedData;
        try {
            signedData = new CMSSignedData(new CMSProcessableByteArray(bundle.loader()), bundle.signature());
        } catch (CMSException | RuntimeException e) {
            throw new VerificationException(ReasonCode.MalformedSignature,
                    "signature is not DER CMS SignedData: " + e.getMessage(), e);
        }
        Collection<SignerInformation> signers = signedData.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new VerificationException(ReasonCode.MalformedSignature,
                    "signature has " + signers.size() + " signers; exactly one is expected");
        }
        SignerInformation signerInfo = signers.iterator().next();
        if (!NISTObjectIdentifiers.id_sha256.getId().equals(signerInfo.getDigestAlgOID())) {
            throw new VerificationException(ReasonCode.MalformedSignature, "signature uses digest algorithm "
                    + signerInfo.getDigestAlgOID() + "; " + LoaderHashV1.NAME + " signatures use SHA-256 (2.16.840.1.101.3.4.2.1)");
        }
        return signerInfo;
    }

    private void requireWellFormedLoader(SignedBundle bundle) throws VerificationException {
        int size = bundle.loader().length;
        if (size % LoaderHashV1.INSTRUCTION_SIZE != 0) {
            throw new VerificationException(ReasonCode.MalformedLoader, "loader is " + size
                    + " bytes, not a whole number of 8-byte BPF instructions");
        }
        if (size <= LoaderHashV1.PROLOGUE_BYTES) {
            throw new VerificationException(ReasonCode.MalformedLoader, "loader has " + size / 8
                    + " instructions; a " + LoaderHashV1.NAME + " loader has the " + LoaderHashV1.PROLOGUE_INSTRUCTIONS
                    + "-instruction prologue and more");
        }
    }

    private void requireWellFormedMetadata(SignedBundle bundle) throws VerificationException {
        if (bundle.metadata().length == 0) {
            throw new VerificationException(ReasonCode.MalformedMetadata, "metadata is empty");
        }
    }

    private void requireMatchingMetadataHash(SignedBundle bundle) throws VerificationException {
        if (!Sha256.isTagged(bundle.hash())) {
            throw new VerificationException(ReasonCode.HashMismatch, "hash '" + bundle.hash()
                    + "' is not 'sha256:' followed by 64 lowercase hex digits");
        }
        String actual = Sha256.tagged(bundle.metadata());
        if (!actual.equals(bundle.hash())) {
            throw new VerificationException(ReasonCode.HashMismatch, "metadata hashes to " + actual
                    + " but the resource states " + bundle.hash());
        }
    }

    private void requirePrologue(SignedBundle bundle) throws VerificationException {
        if (!LoaderHashV1.startsWithPrologue(bundle.loader(), bundle.metadataSha256())) {
            throw new VerificationException(ReasonCode.PrologueMismatch, "loader does not start with the "
                    + LoaderHashV1.NAME + " prologue for metadata hash " + bundle.hash());
        }
    }

    /** The signature names its signer (by SubjectKeyIdentifier, or issuer and serial); the bundle must hold that certificate. */
    private X509Certificate findSigner(SignerInformation signerInfo) throws VerificationException {
        for (X509Certificate candidate : trust.anchors()) {
            if (signerInfo.getSID().match(holder(candidate))) {
                return candidate;
            }
        }
        throw new VerificationException(ReasonCode.UntrustedSigner, "signer " + describe(signerInfo)
                + " is not among the " + trust.anchors().size() + " certificates of the trust bundle");
    }

    private void requireValidSignature(SignerInformation signerInfo, X509Certificate signer) throws VerificationException {
        boolean valid;
        try {
            valid = signerInfo.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Pem.BC).build(signer));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            throw new VerificationException(ReasonCode.SignatureInvalid, "signature by " + subject(signer)
                    + " does not verify over the loader: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new VerificationException(ReasonCode.SignatureInvalid, "signature by " + subject(signer)
                    + " does not verify over the loader");
        }
    }

    /** From the signer up to a self-signed certificate of the bundle, each link a CA whose key signed the one below. */
    private List<X509Certificate> buildChain(X509Certificate signer) throws VerificationException {
        List<X509Certificate> chain = new ArrayList<>(List.of(signer));
        X509Certificate current = signer;
        while (!isSelfSigned(current)) {
            if (chain.size() == MAX_CHAIN_LENGTH) {
                throw new VerificationException(ReasonCode.UntrustedSigner, "certificate chain of " + subject(signer)
                        + " is longer than " + MAX_CHAIN_LENGTH + " without reaching a self-signed certificate");
            }
            X509Certificate issuer = findIssuer(current, chain);
            requireCertificateAuthority(issuer);
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    private void requireNotRevoked(List<X509Certificate> chain, SignedBundle bundle) throws VerificationException {
        Revocations revocations = trust.revocations();
        for (X509Certificate certificate : chain) {
            String fingerprint = Certificates.fingerprintSha256(certificate);
            if (revocations.isCertificateRevoked(fingerprint)) {
                throw new VerificationException(ReasonCode.Revoked, "certificate " + subject(certificate)
                        + " (SHA-256 " + fingerprint + ") is revoked");
            }
        }
        if (revocations.isLoaderRevoked(bundle.loaderHash())) {
            throw new VerificationException(ReasonCode.Revoked, "loader " + bundle.loaderHash() + " is revoked");
        }
    }

    private void requireCurrentlyValid(List<X509Certificate> chain) throws VerificationException {
        Instant now = clock.instant();
        for (X509Certificate certificate : chain) {
            Instant notBefore = certificate.getNotBefore().toInstant();
            Instant notAfter = certificate.getNotAfter().toInstant();
            if (now.isBefore(notBefore)) {
                throw new VerificationException(ReasonCode.CertificateNotYetValid, "certificate " + subject(certificate)
                        + " is not valid before " + notBefore + " (now " + now + ")");
            }
            if (now.isAfter(notAfter)) {
                throw new VerificationException(ReasonCode.CertificateExpired, "certificate " + subject(certificate)
                        + " expired at " + notAfter + " (now " + now + ")");
            }
        }
    }

    /** keyUsage, if present, must allow digitalSignature; extendedKeyUsage, if present, must include codeSigning. */
    private void requireCodeSigningUsage(X509Certificate signer) throws VerificationException {
        boolean[] keyUsage = signer.getKeyUsage();
        if (keyUsage != null && !keyUsage[KEY_USAGE_DIGITAL_SIGNATURE]) {
            throw new VerificationException(ReasonCode.KeyUsageNotAllowed, "certificate " + subject(signer)
                    + " has keyUsage without digitalSignature");
        }
        List<String> extendedKeyUsage;
        try {
            extendedKeyUsage = signer.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new VerificationException(ReasonCode.KeyUsageNotAllowed, "certificate " + subject(signer)
                    + " has an unreadable extendedKeyUsage: " + e.getMessage(), e);
        }
        if (extendedKeyUsage != null && !extendedKeyUsage.contains(CODE_SIGNING)) {
            throw new VerificationException(ReasonCode.KeyUsageNotAllowed, "certificate " + subject(signer)
                    + " has extendedKeyUsage " + extendedKeyUsage + " without codeSigning (" + CODE_SIGNING + ")");
        }
    }

    private X509Certificate findIssuer(X509Certificate child, List<X509Certificate> chain) throws VerificationException {
        for (X509Certificate candidate : trust.anchors()) {
            if (!chain.contains(candidate)
                    && candidate.getSubjectX500Principal().equals(child.getIssuerX500Principal())
                    && signedBy(child, candidate)) {
                return candidate;
            }
        }
        throw new VerificationException(ReasonCode.UntrustedSigner, "certificate " + subject(child) + " was issued by "
                + child.getIssuerX500Principal().getName(X500Principal.RFC2253)
                + ", which is not in the trust bundle (or did not sign it)");
    }

    private static void requireCertificateAuthority(X509Certificate issuer) throws VerificationException {
        boolean[] keyUsage = issuer.getKeyUsage();
        if (issuer.getBasicConstraints() < 0 || (keyUsage != null && !keyUsage[KEY_USAGE_KEY_CERT_SIGN])) {
            throw new VerificationException(ReasonCode.UntrustedSigner, "certificate " + subject(issuer)
                    + " issued part of the signer's chain but is not a CA (basicConstraints CA and keyCertSign)");
        }
    }

    private static boolean isSelfSigned(X509Certificate certificate) {
        return Certificates.isSelfIssued(certificate) && signedBy(certificate, certificate);
    }

    private static boolean signedBy(X509Certificate child, X509Certificate issuer) {
        try {
            child.verify(issuer.getPublicKey(), Pem.BC);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static JcaX509CertificateHolder holder(X509Certificate certificate) throws VerificationException {
        try {
            return new JcaX509CertificateHolder(certificate);
        } catch (CertificateEncodingException e) {
            throw new VerificationException(ReasonCode.UntrustedSigner, "trust bundle certificate "
                    + subject(certificate) + " cannot be encoded: " + e.getMessage(), e);
        }
    }

    private static String describe(SignerInformation signerInfo) {
        byte[] keyId = signerInfo.getSID().getSubjectKeyIdentifier();
        if (keyId != null) {
            return "with SubjectKeyIdentifier " + HexFormat.of().formatHex(keyId);
        }
        return "issued by " + signerInfo.getSID().getIssuer() + " with serial " + signerInfo.getSID().getSerialNumber();
    }

    private static String subject(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName(X500Principal.RFC2253) + "'";
    }
}
