package dev.sigil.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The certificates a verifier trusts, and what it refuses despite them.
 *
 * <p>Sigil's signatures embed no certificates, so the bundle holds every certificate a signature may
 * need: the signer's own certificate (found by its SubjectKeyIdentifier), any intermediate CAs, and the
 * self-signed root the chain ends at. A self-signed signing certificate is a bundle on its own.
 *
 * <p>On disk: one PEM file, or a directory (the layout of the operator's trust ConfigMap when mounted)
 * where every {@code *.pem} and {@code *.crt} file holds one or more certificates, plus optional
 * {@code revoked-certificates} and {@code revoked-loaders} lists (see {@link Revocations}).
 */
public final class TrustBundle {
    public static final String REVOKED_CERTIFICATES = "revoked-certificates";
    public static final String REVOKED_LOADERS = "revoked-loaders";
    /** Optional: {@code Admit} lets resources without a signed intent run unbound ({@link UnboundPrograms}). */
    public static final String UNBOUND_PROGRAMS = "unbound-programs";

    private final List<X509Certificate> anchors;
    private final Revocations revocations;
    private final UnboundPrograms unboundPrograms;

    private TrustBundle(List<X509Certificate> anchors, Revocations revocations) {
        this(anchors, revocations, UnboundPrograms.Reject);
    }

    private TrustBundle(List<X509Certificate> anchors, Revocations revocations, UnboundPrograms unboundPrograms) {
        this.anchors = List.copyOf(anchors);
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        this.unboundPrograms = Objects.requireNonNull(unboundPrograms, "unboundPrograms");
    }

    public static TrustBundle of(List<X509Certificate> anchors, Revocations revocations) {
        return new TrustBundle(anchors, revocations);
    }

    /** Reads a PEM file or a trust directory; a bundle without any certificate is refused. */
    public static TrustBundle load(Path fileOrDir) throws IOException, KeyMaterialException {
        if (Files.isDirectory(fileOrDir)) {
            return loadDirectory(fileOrDir);
        }
        if (!Files.isRegularFile(fileOrDir)) {
            throw new java.nio.file.NoSuchFileException(fileOrDir.toString(), null, "no trust bundle file or directory there");
        }
        List<X509Certificate> certificates = Pem.readCertificates(fileOrDir);
        if (certificates.isEmpty()) {
            throw new KeyMaterialException(fileOrDir + ": no PEM certificate found (expected BEGIN CERTIFICATE)");
        }
        return new TrustBundle(certificates, Revocations.none());
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

    private static TrustBundle loadDirectory(Path dir) throws IOException, KeyMaterialException {
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            // Kubernetes mounts ConfigMap keys as symlinks next to hidden "..data" directories.
            files = entries.filter(p -> !p.getFileName().toString().startsWith(".."))
                    .filter(p -> p.getFileName().toString().endsWith(".pem") || p.getFileName().toString().endsWith(".crt"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Path file : files) {
            certificates.addAll(Pem.readCertificates(file));
        }
        if (certificates.isEmpty()) {
            throw new KeyMaterialException(dir + ": no certificates in any *.pem or *.crt file");
        }
        String revokedCertificates = readOptional(dir.resolve(REVOKED_CERTIFICATES));
        String revokedLoaders = readOptional(dir.resolve(REVOKED_LOADERS));
        try {
            return new TrustBundle(certificates, Revocations.parse(revokedCertificates, revokedLoaders),
                    UnboundPrograms.parse(readOptional(dir.resolve(UNBOUND_PROGRAMS))));
        } catch (IllegalArgumentException e) {
            throw new KeyMaterialException(dir + ": " + e.getMessage(), e);
        }
    }

    private static String readOptional(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
