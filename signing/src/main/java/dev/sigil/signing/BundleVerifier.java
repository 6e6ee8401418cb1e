package dev.sigil.signing;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Checks a {@link SignedBundle} against a {@link TrustBundle}, in userspace, before anything reaches a
 * kernel. Each step is one method with one {@link ReasonCode}. Structure comes first (protocol, the
 * {@link KernelCms} envelope, loader shape, metadata hash, prologue), then the signer.
 *
 * <p>The signer is not "the first certificate with the SubjectKeyIdentifier": every certificate of the bundle
 * with that identifier is a candidate (renewals share a key and so an identifier), and every chain from it
 * to a self-signed certificate of the bundle ({@link SignerPaths}: cross-signed intermediates give several)
 * is validated ({@link PathValidation}). The bundle verifies if any candidate's signature verifies and any of
 * its paths is valid, unrevoked and current, and the candidate may sign code. Otherwise the most specific
 * failure is reported, ranked by {@link #SPECIFICITY}; ties go to the canonical certificate order. Neither
 * rule looks at the order of the bundle's files or certificates, so neither does the verdict.
 */
public final class BundleVerifier {
    /** Most specific first: an explicit revocation says more than an expiry, a chain problem more than a wrong key. */
    static final List<ReasonCode> SPECIFICITY = List.of(ReasonCode.Revoked, ReasonCode.CertificateExpired,
            ReasonCode.CertificateNotYetValid, ReasonCode.KeyUsageNotAllowed, ReasonCode.UntrustedSigner,
            ReasonCode.SignatureInvalid);
    private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;
    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

    private final TrustBundle trust;
    private final Clock clock;

    public BundleVerifier(TrustBundle trust, Clock clock) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public VerifiedBundle verify(SignedBundle bundle) throws VerificationException {
        requireSupportedProtocol(bundle);
        KernelCms signature = KernelCms.parse(bundle.signature());
        requireWellFormedLoader(bundle);
        requireWellFormedMetadata(bundle);
        requireMatchingMetadataHash(bundle);
        requirePrologue(bundle);
        X509Certificate signer = trustedSigner(signature, bundle.loader());
        requireLoaderNotRevoked(bundle);
        return new VerifiedBundle(bundle, Certificates.identity(signer), bundle.loaderHash());
    }

    private void requireSupportedProtocol(SignedBundle bundle) throws VerificationException {
        if (!LoaderHashV1.NAME.equals(bundle.protocol())) {
            throw new VerificationException(ReasonCode.UnsupportedProtocol, "protocol '" + Messages.oneLine(bundle.protocol())
                    + "' is not supported; this verifier knows " + LoaderHashV1.NAME);
        }
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
            throw new VerificationException(ReasonCode.HashMismatch, "hash '" + Messages.oneLine(bundle.hash())
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

    /** The first candidate, in canonical order, whose signature verifies and which has a valid path. */
    private X509Certificate trustedSigner(KernelCms signature, byte[] loader) throws VerificationException {
        List<X509Certificate> candidates = trust.anchors().stream()
                .filter(certificate -> Certificates.subjectKeyId(certificate)
                        .filter(keyId -> Arrays.equals(keyId, signature.signerKeyId())).isPresent())
                .sorted(Certificates.CANONICAL_ORDER)
                .toList();
        if (candidates.isEmpty()) {
            throw new VerificationException(ReasonCode.UntrustedSigner, "signer with SubjectKeyIdentifier "
                    + HexFormat.of().formatHex(signature.signerKeyId()) + " is not among the " + trust.anchors().size()
                    + " certificates of the trust bundle");
        }
        PathValidation validation = new PathValidation(trust.revocations(), clock.instant());
        List<VerificationException> failures = new ArrayList<>();
        for (X509Certificate candidate : candidates) {
            try {
                requireValidSignature(signature, loader, candidate);
                requireCodeSigningUsage(candidate);
                if (hasValidPath(candidate, validation, failures)) {
                    return candidate;
                }
            } catch (VerificationException e) {
                failures.add(e);
            }
        }
        throw mostSpecific(failures);
    }

    private boolean hasValidPath(X509Certificate candidate, PathValidation validation, List<VerificationException> failures) {
        SignerPaths paths = SignerPaths.search(candidate, trust);
        failures.addAll(paths.deadEnds());
        for (List<X509Certificate> path : paths.complete()) {
            try {
                validation.validate(path);
                return true;
            } catch (VerificationException e) {
                failures.add(e);
            }
        }
        return false;
    }

    private static void requireValidSignature(KernelCms signature, byte[] loader, X509Certificate candidate)
            throws VerificationException {
        if (!signature.verifies(loader, candidate)) {
            throw new VerificationException(ReasonCode.SignatureInvalid, "signature by " + Certificates.describe(candidate)
                    + " does not verify over the loader");
        }
    }

    private void requireLoaderNotRevoked(SignedBundle bundle) throws VerificationException {
        if (trust.revocations().isLoaderRevoked(bundle.loaderHash())) {
            throw new VerificationException(ReasonCode.Revoked, "loader " + bundle.loaderHash() + " is revoked");
        }
    }

    /** keyUsage, if present, must allow digitalSignature; extendedKeyUsage, if present, must include codeSigning. */
    private static void requireCodeSigningUsage(X509Certificate signer) throws VerificationException {
        boolean[] keyUsage = signer.getKeyUsage();
        if (keyUsage != null && !keyUsage[KEY_USAGE_DIGITAL_SIGNATURE]) {
            throw new VerificationException(ReasonCode.KeyUsageNotAllowed, "certificate " + Certificates.describe(signer)
                    + " has keyUsage without digitalSignature");
        }
        List<String> extendedKeyUsage;
        try {
            extendedKeyUsage = signer.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new VerificationException(ReasonCode.KeyUsageNotAllowed, "certificate " + Certificates.describe(signer)
                    + " has an unreadable extendedKeyUsage: " + Messages.oneLine(e), e);
        }
        if (extendedKeyUsage != null && !extendedKeyUsage.contains(CODE_SIGNING)) {
            throw new VerificationException(ReasonCode.KeyUsageNotAllowed, "certificate " + Certificates.describe(signer)
                    + " has extendedKeyUsage " + extendedKeyUsage + " without codeSigning (" + CODE_SIGNING + ")");
        }
    }

    /** Failures arrive in canonical order, so the first of the most specific reason is the same for any bundle order. */
    private static VerificationException mostSpecific(List<VerificationException> failures) {
        return failures.stream()
                .min(Comparator.comparingInt((VerificationException e) -> SPECIFICITY.indexOf(e.reason())))
                .orElseThrow(() -> new IllegalStateException("a rejected signer has at least one failure"));
    }
}
