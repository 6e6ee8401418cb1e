package dev.sigil.agent.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A digest of a trust bundle file or directory, to notice when it changes. A mounted ConfigMap is
 * updated in place by swapping a {@code ..data} symlink, so modification times are useless: the
 * digest covers the names and contents of the visible entries, read through their symlinks.
 */
final class TrustFingerprint {
    private TrustFingerprint() {
    }

    static String of(Path trust) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files(trust)) {
                digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(file));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read trust bundle " + trust + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Dot-names are the ConfigMap mount's own bookkeeping ({@code ..data}, timestamped dirs). */
    private static List<Path> files(Path trust) throws IOException {
        if (!Files.isDirectory(trust)) {
            return List.of(trust);
        }
        try (Stream<Path> entries = Files.list(trust)) {
            return entries
                    .filter(entry -> !entry.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }
}
