package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.signing.Certificates;
import dev.sigil.signing.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    @TempDir
    Path dir;
    private Path keys;
    private Path resource;

    @BeforeEach
    void signedExample() throws Exception {
        keys = Sigil.keygen(dir.resolve("keys"), "CN=release");
        resource = dir.resolve("counter.yaml");
        Sigil.Run sign = Sigil.run("sign", "--skeleton", Sigil.counterSkeleton(dir), "--key", keys.resolve("key.pem"), "--cert",
                keys.resolve("cert.pem"), "--name", "counter", "-o", resource);
        assertThat(sign.exitCode()).as(sign.err()).isZero();
    }

    private String loaderHash() {
        String loader = SignedProgramResource.read(resource).getSpec().getLoader();
        return dev.sigil.signing.Sha256.tagged(Base64.getDecoder().decode(loader));
    }

    @Test
    void printsAOneLineSummaryAndExitsZero() throws Exception {
        SigningKey key = SigningKey.load(keys.resolve("key.pem"), keys.resolve("cert.pem"));

        Sigil.Run run = Sigil.run("verify", "--trust", keys.resolve("cert.pem"), resource);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).hasLineCount(1).startsWith("verified counter: signed by CN=release (SKID " + key.subjectKeyId())
                .contains("LoaderHashV1, loader " + loaderHash(), "1 program(s), 2 map(s)");
    }

    @Test
    void rejectsTamperedMetadataWithItsReasonCode() throws Exception {
        String yaml = Files.readString(resource);
        String metadata = SignedProgramResource.read(resource).getSpec().getMetadata();
        byte[] bytes = Base64.getDecoder().decode(metadata);
        bytes[100] ^= 1;
        Files.writeString(resource, yaml.replace(metadata, Base64.getEncoder().encodeToString(bytes)));

        Sigil.Run run = Sigil.run("verify", "--trust", keys.resolve("cert.pem"), resource);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("HashMismatch: metadata hashes to sha256:").hasLineCount(1);
    }

    @Test
    void rejectsASignerOutsideTheTrustBundle() {
        Path other = Sigil.keygen(dir.resolve("other"), "CN=other");

        Sigil.Run run = Sigil.run("verify", "--trust", other.resolve("cert.pem"), resource);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("UntrustedSigner: signer with SubjectKeyIdentifier").hasLineCount(1);
    }

    @Test
    void rejectsRevokedCertificatesAndLoadersFromTheRevokedFile() throws Exception {
        SigningKey key = SigningKey.load(keys.resolve("key.pem"), keys.resolve("cert.pem"));
        Path certificate = Files.writeString(dir.resolve("revoked-cert.txt"),
                "# leaked on 2030-01-01\ncertificate " + Certificates.fingerprintSha256(key.certificate()) + "\n");
        Path loader = Files.writeString(dir.resolve("revoked-loader.txt"), "loader " + loaderHash() + "  # CVE-2030-0001\n");

        Sigil.Run revokedCertificate = Sigil.run("verify", "--trust", keys.resolve("cert.pem"), "--revoked", certificate, resource);
        Sigil.Run revokedLoader = Sigil.run("verify", "--trust", keys.resolve("cert.pem"), "--revoked", loader, resource);

        assertThat(revokedCertificate.exitCode()).isEqualTo(1);
        assertThat(revokedCertificate.err()).isEqualTo("Revoked: certificate 'CN=release' (SHA-256 "
                + Certificates.fingerprintSha256(key.certificate()) + ") is revoked\n");
        assertThat(revokedLoader.err()).isEqualTo("Revoked: loader " + loaderHash() + " is revoked\n");
    }

    @Test
    void readsATrustDirectoryWithItsRevocationLists() throws Exception {
        Path trust = Files.createDirectory(dir.resolve("trust"));
        Files.copy(keys.resolve("cert.pem"), trust.resolve("release.pem"));
        Files.writeString(trust.resolve("revoked-loaders"), loaderHash() + "\n");

        Sigil.Run run = Sigil.run("verify", "--trust", trust, resource);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("Revoked: loader " + loaderHash() + " is revoked\n");
    }

    @Test
    void refusesAResourceWithBrokenBase64AsInput() throws Exception {
        String signature = SignedProgramResource.read(resource).getSpec().getSignature();
        Files.writeString(resource, Files.readString(resource).replace(signature, "%%%"));

        Sigil.Run run = Sigil.run("verify", "--trust", keys.resolve("cert.pem"), resource);

        // The schema's pattern, as the API server applies it: such a resource never gets as far as verification.
        assertThat(run).isEqualTo(new Sigil.Run(2, "", "sigil verify: " + resource + ": spec.signature: '%%%' is not base64\n"));
    }

    @Test
    void usageAndInputErrorsExitWithTwo() throws Exception {
        Path configMap = Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        Path badList = Files.writeString(dir.resolve("bad.txt"), "program abc\n");

        assertThat(Sigil.run("verify", resource))
                .isEqualTo(new Sigil.Run(2, "", "sigil verify: Missing required option: '--trust=FILE|DIR' (see sigil verify --help)\n"));
        assertThat(Sigil.run("verify", "--trust", keys.resolve("cert.pem"), dir.resolve("absent.yaml")))
                .isEqualTo(new Sigil.Run(2, "", "sigil verify: " + dir.resolve("absent.yaml") + ": no such file or directory\n"));
        assertThat(Sigil.run("verify", "--trust", dir.resolve("no-trust"), resource))
                .isEqualTo(new Sigil.Run(2, "", "sigil verify: " + dir.resolve("no-trust") + ": no such file or directory\n"));
        assertThat(Sigil.run("verify", "--trust", keys.resolve("cert.pem"), configMap))
                .isEqualTo(new Sigil.Run(2, "", "sigil verify: " + configMap + ": a ConfigMap (v1), not a SignedBpfProgram (sigil.dev/v1alpha1)\n"));
        assertThat(Sigil.run("verify", "--trust", keys.resolve("cert.pem"), "--revoked", badList, resource)).isEqualTo(new Sigil.Run(2, "",
                "sigil verify: " + badList + " line 1: unknown entry kind 'program'; expected 'certificate', 'key' or 'loader'\n"));
        assertThat(Sigil.run("verify", "--trust", keys.resolve("key.pem"), resource).err())
                .isEqualTo("sigil verify: " + keys.resolve("key.pem") + ": expected only certificates, found PrivateKeyInfo\n");
    }

    @Test
    void helpDescribesTheFileFormats() {
        assertThat(Sigil.run("verify", "--help").out()).contains("certificate <sha256 fingerprint", "loader sha256:<hex",
                "revoked-certificates", "Exit status: 0 verified");
    }
}
