package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.TrustBundleCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustFingerprintTest {
    @TempDir
    Path dir;

    @Test
    void changesWhenAConfigMapMountSwapsItsDataLink() throws IOException {
        Path first = Files.createDirectory(dir.resolve("..2025_01"));
        Files.writeString(first.resolve("ca.pem"), "first anchor");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Files.createSymbolicLink(dir.resolve("ca.pem"), Path.of("..data/ca.pem"));
        String before = TrustFingerprint.of(dir);

        Path second = Files.createDirectory(dir.resolve("..2025_02"));
        Files.writeString(second.resolve("ca.pem"), "first anchor");
        Files.writeString(second.resolve("revoked-loaders"), "sha256:" + "a".repeat(64));
        Files.createSymbolicLink(dir.resolve("revoked-loaders"), Path.of("..data/revoked-loaders"));
        Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThat(TrustFingerprint.of(dir)).isNotEqualTo(before);
    }

    @Test
    void staysTheSameWhileNothingChanges() throws IOException {
        Files.writeString(dir.resolve("ca.pem"), "anchor");

        assertThat(TrustFingerprint.of(dir)).isEqualTo(TrustFingerprint.of(dir));
    }

    @Test
    void followsASingleFile() throws IOException {
        Path file = Files.writeString(dir.resolve("ca.pem"), "anchor");
        String before = TrustFingerprint.of(file);

        Files.writeString(file, "another anchor");

        assertThat(TrustFingerprint.of(file)).isNotEqualTo(before);
    }

    /** The agent re-reads its bundle when, and only when, an entry the trust-bundle reader reads changes. */
    @Test
    void coversExactlyWhatTheTrustBundleReaderReads() throws IOException {
        for (TrustBundleCases.Case bundle : TrustBundleCases.all()) {
            Path mounted = TrustBundleCases.mount(bundle, Files.createDirectory(dir.resolve("case-" + bundle.hashCode())));
            String fingerprint = TrustFingerprint.of(mounted);

            Files.writeString(mounted.resolve("README.md"), "not part of the bundle");
            assertThat(TrustFingerprint.of(mounted)).as(bundle.name() + ": an ignored file").isEqualTo(fingerprint);
            for (String name : bundle.entries().keySet()) {
                if (name.startsWith("..")) {
                    continue;
                }
                Path entry = mounted.resolve("..data").resolve(name);
                byte[] before = Files.readAllBytes(entry);
                Files.writeString(entry, "\n# changed\n", java.nio.file.StandardOpenOption.APPEND);
                boolean read = name.endsWith(".pem") || name.endsWith(".crt") || java.util.List.of(TrustBundle.REVOKED_CERTIFICATES,
                        TrustBundle.REVOKED_KEYS, TrustBundle.REVOKED_LOADERS, TrustBundle.UNBOUND_PROGRAMS).contains(name);
                assertThat(TrustFingerprint.of(mounted).equals(fingerprint)).as(bundle.name() + ": " + name).isEqualTo(!read);
                Files.write(entry, before);
            }
        }
    }

    @Test
    void namesTheMissingBundle() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> TrustFingerprint.of(missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
    }
}
