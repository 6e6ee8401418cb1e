package dev.sigil.signing;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Revoked signing certificates (SHA-256 fingerprints of the DER certificate, lowercase hex), revoked public
 * keys (SHA-256 of the DER SubjectPublicKeyInfo: every certificate for that key, renewals included, is revoked)
 * and revoked signed loaders ({@code sha256:<hex>} of the loader instructions).
 *
 * <p>Text forms, one entry per line, {@code #} starts a comment, blank lines are ignored:
 * <ul>
 *   <li>{@code revoked-certificates}: a fingerprint per line ({@code openssl x509 -noout -fingerprint -sha256}
 *       output is accepted too: colons and upper case are normalised);</li>
 *   <li>{@code revoked-keys}: a public-key fingerprint per line, in the same notations;</li>
 *   <li>{@code revoked-loaders}: {@code sha256:<hex>} per line;</li>
 *   <li>a combined list ({@code sigil verify --revoked}): {@code certificate <hex>}, {@code key <hex>} or
 *       {@code loader sha256:<hex>}.</li>
 * </ul>
 */
public record Revocations(Set<String> certificateFingerprints, Set<String> loaderHashes, Set<String> keyFingerprints) {

    public Revocations {
        certificateFingerprints = Set.copyOf(certificateFingerprints);
        loaderHashes = Set.copyOf(loaderHashes);
        keyFingerprints = Set.copyOf(keyFingerprints);
    }

    public Revocations(Set<String> certificateFingerprints, Set<String> loaderHashes) {
        this(certificateFingerprints, loaderHashes, Set.of());
    }

    public static Revocations none() {
        return new Revocations(Set.of(), Set.of(), Set.of());
    }

    /** The certificate and loader lists only, as before key revocation existed. */
    public static Revocations parse(String revokedCertificatesLines, String revokedLoadersLines) {
        return parse(revokedCertificatesLines, revokedLoadersLines, "");
    }

    /**
     * Parses the list files of a trust-bundle directory; any may be empty.
     *
     * @throws IllegalArgumentException naming the list and line of a malformed entry
     */
    public static Revocations parse(String revokedCertificatesLines, String revokedLoadersLines, String revokedKeysLines) {
        Set<String> certificates = new LinkedHashSet<>();
        Set<String> loaders = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        forEachEntry(revokedCertificatesLines, (line, entry) ->
                certificates.add(fingerprint(entry, "revoked-certificates line " + line)));
        forEachEntry(revokedLoadersLines, (line, entry) ->
                loaders.add(loaderHash(entry, "revoked-loaders line " + line)));
        forEachEntry(revokedKeysLines, (line, entry) ->
                keys.add(fingerprint(entry, "revoked-keys line " + line)));
        return new Revocations(certificates, loaders, keys);
    }

    /**
     * Parses a combined list: {@code certificate <sha256-hex>}, {@code key <sha256-hex>} or
     * {@code loader sha256:<hex>} per line.
     *
     * @throws IllegalArgumentException naming {@code sourceName} and the line of a malformed entry
     */
    public static Revocations parseList(String text, String sourceName) {
        Set<String> certificates = new LinkedHashSet<>();
        Set<String> loaders = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        forEachEntry(text, (line, entry) -> {
            String where = sourceName + " line " + line;
            String[] fields = entry.split("\\s+");
            if (fields.length != 2) {
                throw new IllegalArgumentException(where + ": expected 'certificate <sha256-hex>', 'key <sha256-hex>' or "
                        + "'loader sha256:<hex>', got '" + entry + "'");
            }
            switch (fields[0]) {
                case "certificate" -> certificates.add(fingerprint(fields[1], where));
                case "key" -> keys.add(fingerprint(fields[1], where));
                case "loader" -> loaders.add(loaderHash(fields[1], where));
                default -> throw new IllegalArgumentException(where + ": unknown entry kind '" + fields[0]
                        + "'; expected 'certificate', 'key' or 'loader'");
            }
        });
        return new Revocations(certificates, loaders, keys);
    }

    public Revocations union(Revocations other) {
        return new Revocations(joined(certificateFingerprints, other.certificateFingerprints),
                joined(loaderHashes, other.loaderHashes), joined(keyFingerprints, other.keyFingerprints));
    }

    public boolean isCertificateRevoked(String fingerprintSha256) {
        return certificateFingerprints.contains(fingerprintSha256);
    }

    /** @param publicKeySha256 SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex */
    public boolean isKeyRevoked(String publicKeySha256) {
        return keyFingerprints.contains(publicKeySha256);
    }

    public boolean isLoaderRevoked(String loaderHash) {
        return loaderHashes.contains(loaderHash);
    }

    private static Set<String> joined(Set<String> first, Set<String> second) {
        Set<String> union = new LinkedHashSet<>(first);
        union.addAll(second);
        return union;
    }

    private static String fingerprint(String entry, String where) {
        // Also accepts `openssl x509 -fingerprint -sha256` output: "sha256 Fingerprint=AB:CD:...".
        String hex = entry.substring(entry.indexOf('=') + 1).replace(":", "").toLowerCase(Locale.ROOT);
        if (hex.startsWith("sha256")) {
            hex = hex.substring("sha256".length());
        }
        if (!Sha256.isHex(hex)) {
            throw new IllegalArgumentException(where + ": '" + entry
                    + "' is not a SHA-256 fingerprint (64 hex digits)");
        }
        return hex;
    }

    private static String loaderHash(String entry, String where) {
        String hash = entry.toLowerCase(Locale.ROOT);
        if (!Sha256.isTagged(hash)) {
            throw new IllegalArgumentException(where + ": '" + entry
                    + "' is not a loader hash ('sha256:' followed by 64 hex digits)");
        }
        return hash;
    }

    private interface EntryConsumer {
        void accept(int line, String entry);
    }

    private static void forEachEntry(String text, EntryConsumer consumer) {
        if (text == null) {
            return;
        }
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int comment = line.indexOf('#');
            String entry = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (!entry.isEmpty()) {
                consumer.accept(i + 1, entry);
            }
        }
    }
}
