package dev.sigil.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The one reader of trust bundles: the CLI and the agents read a file or a directory (in a cluster, the
 * mounted trust ConfigMap), the operator reads the same ConfigMap's entries through the API, and all three
 * end in {@link #read(Map, String)}, so they accept and refuse exactly the same bundles.
 *
 * <p>Rules, per entry name:
 * <ul>
 *   <li>names starting with {@code ..} are a ConfigMap mount's bookkeeping and are skipped;</li>
 *   <li>{@code *.pem} and {@code *.crt}: PEM certificates. The text must be UTF-8; lines outside the
 *       {@code BEGIN}/{@code END} markers are explanatory text (RFC 7468) and may say anything, a comment in
 *       any language included. Every such entry must hold at least one certificate and no other PEM object;</li>
 *   <li>{@code revoked-certificates}, {@code revoked-keys}, {@code revoked-loaders}: UTF-8 lists ({@link Revocations});
 *       {@code unbound-programs}: {@code Reject} (the default) or {@code Admit} ({@link UnboundPrograms});</li>
 *   <li>any other name is ignored.</li>
 * </ul>
 * The bundle must hold at least one certificate, and all entries together at most {@link #MAX_BYTES}
 * (what one ConfigMap can hold). Every refusal is a {@link KeyMaterialException} naming the source and entry.
 */
public final class TrustBundleReader {
    public static final long MAX_BYTES = 1024 * 1024;
    private static final List<String> ANCHOR_SUFFIXES = List.of(".pem", ".crt");
    private static final List<String> SETTINGS = List.of(TrustBundle.REVOKED_CERTIFICATES, TrustBundle.REVOKED_LOADERS,
            TrustBundle.REVOKED_KEYS, TrustBundle.UNBOUND_PROGRAMS);

    private TrustBundleReader() {
    }

    /** A PEM file (whatever its name), or a trust directory read entry by entry. */
    public static TrustBundle load(Path fileOrDir) throws IOException, KeyMaterialException {
        if (Files.isDirectory(fileOrDir)) {
            return read(entries(fileOrDir), fileOrDir.toString());
        }
        if (!Files.isRegularFile(fileOrDir)) {
            throw new NoSuchFileException(fileOrDir.toString(), null, "no trust bundle file or directory there");
        }
        requireSize(Files.size(fileOrDir), fileOrDir.toString());
        byte[] pem = Files.readAllBytes(fileOrDir);
        return TrustBundle.of(anchors(pem, fileOrDir.toString()), Revocations.none());
    }

    /** The entries of a trust directory that {@link #read} looks at, by name: what a change detector should digest. */
    public static SortedMap<String, byte[]> entries(Path dir) throws IOException, KeyMaterialException {
        SortedMap<String, byte[]> entries = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(file -> isRead(file.getFileName().toString())).filter(Files::isRegularFile).toList();
        }
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
            requireSize(total, dir.toString());
            entries.put(file.getFileName().toString(), Files.readAllBytes(file));
        }
        return entries;
    }

    /**
     * Reads a bundle from its entries (file name to contents), e.g. a ConfigMap's {@code data} and {@code binaryData}.
     *
     * @param sourceName how messages name the bundle, e.g. a directory or {@code trust ConfigMap ns/name}
     */
    public static TrustBundle read(Map<String, byte[]> entries, String sourceName) throws KeyMaterialException {
        SortedMap<String, byte[]> sorted = new TreeMap<>(entries);
        long total = sorted.values().stream().mapToLong(bytes -> bytes.length).sum();
        requireSize(total, sourceName);
        List<X509Certificate> certificates = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : sorted.entrySet()) {
            if (isAnchor(entry.getKey())) {
                certificates.addAll(anchors(entry.getValue(), sourceName + " entry " + entry.getKey()));
            }
        }
        if (certificates.isEmpty()) {
            throw new KeyMaterialException(sourceName + ": no certificate in any *.pem or *.crt entry");
        }
        List<String> settings = new ArrayList<>();
        for (String setting : SETTINGS) {
            byte[] text = sorted.get(setting);
            settings.add(text == null ? "" : Utf8.decode(text, sourceName + " entry " + setting));
        }
        try {
            return TrustBundle.of(certificates, Revocations.parse(settings.get(0), settings.get(1), settings.get(2)))
                    .withUnboundPrograms(UnboundPrograms.parse(settings.get(3)));
        } catch (IllegalArgumentException e) {
            throw new KeyMaterialException(sourceName + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> anchors(byte[] pem, String where) throws KeyMaterialException {
        List<X509Certificate> certificates = Pem.readCertificates(Utf8.decode(pem, where), where);
        if (certificates.isEmpty()) {
            throw new KeyMaterialException(where + ": no PEM certificate (expected BEGIN CERTIFICATE)");
        }
        return certificates;
    }

    private static boolean isRead(String name) {
        return !name.startsWith("..") && (isAnchor(name) || SETTINGS.contains(name));
    }

    private static boolean isAnchor(String name) {
        return !name.startsWith("..") && ANCHOR_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    private static void requireSize(long bytes, String sourceName) throws KeyMaterialException {
        if (bytes > MAX_BYTES) {
            throw new KeyMaterialException(sourceName + ": trust bundle is larger than " + MAX_BYTES
                    + " bytes, what one ConfigMap can hold");
        }
    }
}
