package dev.sigil.signing;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The certificates a verifier trusts, and what it refuses despite them.
 *
 * <p>Sigil's signatures embed no certificates, so the bundle holds every certificate a signature may
 * need: the signer's own certificate (found by its SubjectKeyIdentifier), any intermediate CAs, and the
 * self-signed root the chain ends at. A self-signed signing certificate is a bundle on its own.
 *
 * <p>On disk: one PEM file, or a directory (the layout of the operator's trust ConfigMap when mounted)
 * where every {@code *.pem} and {@code *.crt} file holds one or more certificates, plus optional
 * {@code revoked-certificates}, {@code revoked-keys} and {@code revoked-loaders} lists (see {@link Revocations})
 * and the {@code unbound-programs} setting. {@link TrustBundleReader} reads both forms and a ConfigMap's entries alike.
 */
public final class TrustBundle {
    public static final String REVOKED_CERTIFICATES = "revoked-certificates";
    public static final String REVOKED_LOADERS = "revoked-loaders";
    public static final String REVOKED_KEYS = "revoked-keys";
    /** Optional: {@code Admit} lets resources without a signed intent run unbound ({@link UnboundPrograms}). */
    public static final String UNBOUND_PROGRAMS = "unbound-programs";

    private final List<X509Certificate> anchors;
    private final Set<X509Certificate> selfSigned;
    private final Revocations revocations;
    private final UnboundPrograms unboundPrograms;

    private TrustBundle(List<X509Certificate> anchors, Revocations revocations) {
        this(anchors, revocations, UnboundPrograms.Reject);
    }

    private TrustBundle(List<X509Certificate> anchors, Revocations revocations, UnboundPrograms unboundPrograms) {
        this.anchors = List.copyOf(anchors);
        this.selfSigned = this.anchors.stream().filter(SignerPaths::isSelfSigned).collect(Collectors.toUnmodifiableSet());
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        this.unboundPrograms = Objects.requireNonNull(unboundPrograms, "unboundPrograms");
    }

    public static TrustBundle of(List<X509Certificate> anchors, Revocations revocations) {
        return new TrustBundle(anchors, revocations);
    }

    /** Reads a PEM file or a trust directory with {@link TrustBundleReader}; a bundle without any certificate is refused. */
    public static TrustBundle load(Path fileOrDir) throws IOException, KeyMaterialException {
        return TrustBundleReader.load(fileOrDir);
    }

    public TrustBundle withRevocations(Revocations more) {
        return new TrustBundle(anchors, revocations.union(more), unboundPrograms);
    }

    public TrustBundle withUnboundPrograms(UnboundPrograms policy) {
        return new TrustBundle(anchors, revocations, policy);
    }

    /** Whether resources without a signed intent are refused (the default) or admitted unbound. */
    public UnboundPrograms unboundPrograms() {
        return unboundPrograms;
    }

    /** Every certificate in the bundle, in file order. */
    public List<X509Certificate> anchors() {
        return anchors;
    }

    public Revocations revocations() {
        return revocations;
    }

    /** Whether the certificate is one of the bundle's trust anchors: self-issued and signed by its own key. */
    boolean isSelfSigned(X509Certificate certificate) {
        return selfSigned.contains(certificate);
    }
}
