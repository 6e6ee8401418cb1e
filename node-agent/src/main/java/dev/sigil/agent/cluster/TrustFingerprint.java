package dev.sigil.agent.cluster;

import dev.sigil.signing.KeyMaterialException;
import dev.sigil.signing.TrustBundleReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A digest of a trust bundle file or directory, to notice when it changes. A mounted ConfigMap is
 * updated in place by swapping a {@code ..data} symlink, so modification times are useless: the
 * digest covers the names and contents of exactly the entries {@link TrustBundleReader} reads.
 */
final class TrustFingerprint {
    private TrustFingerprint() {
    }

    static String of(Path trust) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> entry : entries(trust).entrySet()) {
                digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(entry.getValue());
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read trust bundle " + trust + ": " + e.getMessage(), e);
        } catch (KeyMaterialException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static SortedMap<String, byte[]> entries(Path trust) throws IOException, KeyMaterialException {
        if (Files.isDirectory(trust)) {
            return TrustBundleReader.entries(trust);
        }
        return new TreeMap<>(Map.of(trust.getFileName().toString(), Files.readAllBytes(trust)));
    }
}
