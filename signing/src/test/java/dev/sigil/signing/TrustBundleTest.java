package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustBundleTest {
    private static final SigningKey ROOT = TestCertificates.generated("CN=root", Optional.empty(), true);
    private static final SigningKey LEAF = TestCertificates.generated("CN=leaf", Optional.of(ROOT), false);

    @Test
    void loadsASinglePemFileWithSeveralCertificates(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bundle.pem");
        Files.writeString(file, Pem.encode(ROOT.certificate()) + Pem.encode(LEAF.certificate()));

        TrustBundle bundle = TrustBundle.load(file);

        assertThat(bundle.anchors()).containsExactly(ROOT.certificate(), LEAF.certificate());
        assertThat(bundle.revocations()).isEqualTo(Revocations.none());
    }

    /** The operator's trust ConfigMap mounted as a volume: keys are symlinks into a hidden ..data directory. */
    @Test
    void loadsAMountedConfigMapDirectoryWithRevocationLists(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("..2030_01_01_00_00_00.000000001"));
        Files.writeString(data.resolve("root.pem"), Pem.encode(ROOT.certificate()));
        Files.writeString(data.resolve("release.crt"), Pem.encode(LEAF.certificate()));
        Files.writeString(data.resolve("notes.txt"), "not a certificate");
        Files.writeString(data.resolve(TrustBundle.REVOKED_CERTIFICATES), "# none yet\n");
        Files.writeString(data.resolve(TrustBundle.REVOKED_LOADERS), "sha256:" + "ab".repeat(32) + "\n");
        Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
        for (String name : new String[] {"root.pem", "release.crt", "notes.txt", TrustBundle.REVOKED_CERTIFICATES,
                TrustBundle.REVOKED_LOADERS}) {
            Files.createSymbolicLink(dir.resolve(name), Path.of("..data", name));
        }

        TrustBundle bundle = TrustBundle.load(dir);

        assertThat(bundle.anchors()).containsExactly(LEAF.certificate(), ROOT.certificate());
        assertThat(bundle.revocations().loaderHashes()).containsExactly("sha256:" + "ab".repeat(32));
        assertThat(bundle.revocations().certificateFingerprints()).isEmpty();
    }

    @Test
    void aLoadedBundleVerifiesALeafSignature(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("root.pem"), Pem.encode(ROOT.certificate()));
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(LEAF.certificate()));
        SignedBundle signed = BundleSigner.sign(CounterSkeleton.parsed(), LEAF);

        VerifiedBundle verified = new BundleVerifier(TrustBundle.load(dir), Clock.fixed(TestCertificates.DURING, ZoneOffset.UTC))
                .verify(signed);

        assertThat(verified.signer().subject()).isEqualTo("CN=leaf");
    }

    @Test
    void withRevocationsAddsToTheBundlesOwn() {
        TrustBundle bundle = TrustBundle.of(java.util.List.of(ROOT.certificate()), Revocations.parse("", "sha256:" + "ab".repeat(32), ""))
                .withRevocations(Revocations.parse("", "sha256:" + "cd".repeat(32), ""));

        assertThat(bundle.revocations().loaderHashes()).hasSize(2);
    }

    @Test
    void rejectsAnEmptyDirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> TrustBundle.load(dir)).isInstanceOf(KeyMaterialException.class)
                .hasMessage(dir + ": no certificate in any *.pem or *.crt entry");
    }

    @Test
    void rejectsAFileWithoutCertificates(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");

        assertThatThrownBy(() -> TrustBundle.load(file)).hasMessage(file + ": no PEM certificate (expected BEGIN CERTIFICATE)");
    }

    @Test
    void rejectsAPrivateKeyInTheBundle(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("oops.pem"), Pem.encode(ROOT.privateKey()));

        assertThatThrownBy(() -> TrustBundle.load(file)).hasMessageContaining("expected only certificates, found");
    }

    @Test
    void rejectsABadRevocationListNamingTheDirectoryAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("root.pem"), Pem.encode(ROOT.certificate()));
        Files.writeString(dir.resolve(TrustBundle.REVOKED_LOADERS), "\nsha256:xyz\n");

        assertThatThrownBy(() -> TrustBundle.load(dir)).isInstanceOf(KeyMaterialException.class)
                .hasMessage(dir + ": revoked-loaders line 2: 'sha256:xyz' is not a loader hash ('sha256:' followed by 64 hex digits)");
    }

    @Test
    void rejectsAMissingPath(@TempDir Path dir) {
        assertThatThrownBy(() -> TrustBundle.load(dir.resolve("absent"))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
