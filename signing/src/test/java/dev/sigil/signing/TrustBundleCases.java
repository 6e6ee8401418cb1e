package dev.sigil.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * One table of trust bundles that every reader must agree on: the CLI and the agents read them as a mounted
 * ConfigMap directory, the operator as the ConfigMap's entries (tests in those modules use this table through
 * the signing test-jar). Each case is a bundle as file name to bytes, and what reading it must give.
 */
public final class TrustBundleCases {
    /**
     * @param entries  file (ConfigMap key) name to contents
     * @param expected {@code loaded: ...} as {@link #describe} writes it, or how the refusal's message starts
     *                 after the bundle's own name (which each reader spells differently)
     */
    public record Case(String name, Map<String, byte[]> entries, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private TrustBundleCases() {
    }

    public static List<Case> all() {
        String rsa = Fixtures.text("rsa-cert.pem");
        String ec = Fixtures.text("ec-cert.pem");
        String rsaFingerprint = Certificates.fingerprintSha256(Fixtures.key(Fixtures.RSA).certificate());
        String ecKey = Certificates.publicKeySha256(Fixtures.key(Fixtures.EC).certificate());
        String loader = "sha256:" + "ab".repeat(32);
        return List.of(
                loaded("a PEM anchor", Map.of("root.pem", rsa), 1, 0, 0, 0),
                loaded("a .crt anchor (the chart allows it)", Map.of("release.crt", ec), 1, 0, 0, 0),
                loaded("two files and two certificates in one", Map.of("root.pem", rsa + ec, "release.crt", ec), 3, 0, 0, 0),
                loaded("a UTF-8 comment around the PEM block", Map.of("root.pem",
                        "# Zertifikat für Release — geprüft ✓\n" + rsa + "Ende\n"), 1, 0, 0, 0),
                loaded("revocation lists in every notation", entries("root.pem", rsa, "release.crt", ec,
                        TrustBundle.REVOKED_CERTIFICATES, "# rotated 2030-02-01\n" + rsaFingerprint + "\n",
                        TrustBundle.REVOKED_KEYS, "sha256 Fingerprint=" + colons(ecKey) + "\n",
                        TrustBundle.REVOKED_LOADERS, loader + "  # bad build\n"), 2, 1, 1, 1),
                loaded("unbound programs admitted", entries("root.pem", rsa, TrustBundle.UNBOUND_PROGRAMS,
                        "# legacy resources run unbound\nAdmit\n"), 1, 0, 0, 0),
                loaded("other files and mount bookkeeping are not read", entries("root.pem", rsa, "notes.txt",
                        "\u00ff not a certificate", "..data.pem", "garbage"), 1, 0, 0, 0),
                refused("an empty bundle", Map.of(), "no certificate in any *.pem or *.crt entry"),
                refused("only revocation lists", Map.of(TrustBundle.REVOKED_LOADERS, loader),
                        "no certificate in any *.pem or *.crt entry"),
                refused("junk in a PEM block", Map.of("junk.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                        "entry junk.pem: not a readable PEM certificate"),
                refused("a .pem with no certificate", Map.of("root.pem", rsa, "empty.pem", "nothing here\n"),
                        "entry empty.pem: no PEM certificate (expected BEGIN CERTIFICATE)"),
                refused("a private key among the anchors", Map.of("key.pem", Fixtures.text("ec-key.pem")),
                        "entry key.pem: expected only certificates, found PrivateKeyInfo"),
                refused("a comment that is not UTF-8", Map.of("root.pem", new byte[] {'#', ' ', 'c', 'a', 'f', (byte) 0xe9, '\n'}),
                        "entry root.pem: not UTF-8 text: byte 0xe9 at offset 5 does not start a valid UTF-8 sequence"),
                refused("an unbound-programs value that is neither", entries("root.pem", rsa, TrustBundle.UNBOUND_PROGRAMS,
                        "Maybe\n"), "unbound-programs must say Reject or Admit, not 'Maybe'"),
                refused("a bad revocation entry", entries("root.pem", rsa, TrustBundle.REVOKED_KEYS, "\nmd5:1234\n"),
                        "revoked-keys line 2: 'md5:1234' is not a SHA-256 fingerprint (64 hex digits)"));
    }

    /** A loaded bundle as the table states it: counts and the sorted fingerprints of anchors and lists. */
    public static String describe(TrustBundle bundle) {
        TreeSet<String> anchors = new TreeSet<>();
        for (X509Certificate certificate : bundle.anchors()) {
            anchors.add(Certificates.fingerprintSha256(certificate).substring(0, 12));
        }
        Revocations revoked = bundle.revocations();
        return "loaded: " + bundle.anchors().size() + " certificates " + anchors + ", revoked: "
                + revoked.certificateFingerprints().size() + " certificates, " + revoked.keyFingerprints().size() + " keys, "
                + revoked.loaderHashes().size() + " loaders, unbound programs: " + bundle.unboundPrograms();
    }

    /**
     * What one reader made of a case, comparable across readers: {@link #describe} for a bundle, the refusal's
     * message after its last mention of {@code source} (a caller may prefix its own), with {@code source} removed.
     */
    public static String outcome(Callable<TrustBundle> reader, String source) {
        try {
            return describe(reader.call());
        } catch (Exception e) {
            String message = e.getMessage();
            int at = message.lastIndexOf(source);
            String rest = at < 0 ? message : message.substring(at + source.length());
            return rest.startsWith(": ") ? rest.substring(2) : rest.strip();
        }
    }

    /** Writes the case as Kubernetes mounts a ConfigMap: files in a hidden {@code ..data} directory, symlinks beside it. */
    public static Path mount(Case bundle, Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("..2030_01_01_00_00_00.000000001"));
        Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
        for (Map.Entry<String, byte[]> entry : bundle.entries().entrySet()) {
            Files.write(data.resolve(entry.getKey()), entry.getValue());
            if (!entry.getKey().startsWith("..")) {
                Files.createSymbolicLink(dir.resolve(entry.getKey()), Path.of("..data", entry.getKey()));
            }
        }
        return dir;
    }

    /** The entries as a ConfigMap holds them: UTF-8 text in {@code data}, anything else base64 in {@code binaryData}. */
    public static Map<String, String> configMapData(Case bundle, boolean binary) {
        Map<String, String> data = new LinkedHashMap<>();
        bundle.entries().forEach((name, bytes) -> {
            boolean text = isUtf8(bytes);
            if (text != binary) {
                data.put(name, binary ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8));
            }
        });
        return data;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            Utf8.decode(bytes, "");
            return true;
        } catch (KeyMaterialException e) {
            return false;
        }
    }

    private static Case loaded(String name, Map<String, ?> entries, int anchors, int certificates, int keys, int loaders) {
        Map<String, byte[]> bytes = bytes(entries);
        TrustBundle bundle;
        try {
            bundle = TrustBundleReader.read(bytes, name);
        } catch (KeyMaterialException e) {
            throw new IllegalStateException("case '" + name + "' does not load: " + e.getMessage(), e);
        }
        String expected = describe(bundle);
        String counted = "loaded: " + anchors + " certificates ";
        if (!expected.startsWith(counted) || !expected.contains("revoked: " + certificates + " certificates, " + keys
                + " keys, " + loaders + " loaders")) {
            throw new IllegalStateException("case '" + name + "' loads as " + expected);
        }
        return new Case(name, bytes, expected);
    }

    private static Case refused(String name, Map<String, ?> entries, String message) {
        return new Case(name, bytes(entries), message);
    }

    private static Map<String, byte[]> bytes(Map<String, ?> entries) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        entries.forEach((name, value) -> bytes.put(name, value instanceof byte[] raw ? raw
                : value.toString().getBytes(StandardCharsets.UTF_8)));
        return bytes;
    }

    private static Map<String, Object> entries(Object... namesAndContents) {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            entries.put((String) namesAndContents[i], namesAndContents[i + 1]);
        }
        return entries;
    }

    private static String colons(String hex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            out.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return out.toString().toUpperCase(java.util.Locale.ROOT);
    }
}
