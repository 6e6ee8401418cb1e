package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.signing.KeySpec;
import dev.sigil.signing.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
    @TempDir
    Path dir;

    @Test
    void makesASelfSignedCaKeyByDefaultAsRsa3072() throws Exception {
        Sigil.Run run = Sigil.run("keygen", "--out", dir.resolve("k"), "--subject", "CN=release,O=example", "--days", "30");

        assertThat(run.exitCode()).as(run.err()).isZero();
        SigningKey key = SigningKey.load(dir.resolve("k/key.pem"), dir.resolve("k/cert.pem"));
        assertThat(key.spec()).isEqualTo(KeySpec.rsa(3072));
        assertThat(key.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(key.certificate().getSubjectX500Principal()).isEqualTo(key.certificate().getIssuerX500Principal());
        assertThat(run.out()).startsWith("wrote " + dir.resolve("k/key.pem")).contains("RSA 3072", "SKID " + key.subjectKeyId(),
                "self-signed CA");
    }

    @Test
    void makesEcKeysOnEitherCurve() throws Exception {
        assertThat(Sigil.run("keygen", "--out", dir.resolve("p384"), "--ec", "P-384").exitCode()).isZero();

        assertThat(SigningKey.load(dir.resolve("p384/key.pem"), dir.resolve("p384/cert.pem")).spec()).isEqualTo(KeySpec.ec("P-384"));
    }

    @Test
    void issuesIntermediateAndLeafCertificatesFromACa() throws Exception {
        Sigil.keygen(dir.resolve("root"), "CN=root");
        Sigil.Run intermediate = Sigil.run("keygen", "--out", dir.resolve("intermediate"), "--ec", "P-256", "--subject",
                "CN=intermediate", "--ca-cert", dir.resolve("root/cert.pem"), "--ca-key", dir.resolve("root/key.pem"), "--ca");
        Sigil.Run leaf = Sigil.run("keygen", "--out", dir.resolve("leaf"), "--ec", "P-256", "--subject", "CN=leaf",
                "--ca-cert", dir.resolve("intermediate/cert.pem"), "--ca-key", dir.resolve("intermediate/key.pem"));

        assertThat(intermediate.exitCode()).as(intermediate.err()).isZero();
        assertThat(intermediate.out()).contains("issued by CN=root (CA)");
        assertThat(leaf.exitCode()).as(leaf.err()).isZero();
        SigningKey leafKey = SigningKey.load(dir.resolve("leaf/key.pem"), dir.resolve("leaf/cert.pem"));
        assertThat(leafKey.certificate().getIssuerX500Principal().getName()).isEqualTo("CN=intermediate");
        assertThat(leafKey.certificate().getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void refusesAnIssuerThatIsNotACa() {
        Sigil.keygen(dir.resolve("root"), "CN=root");
        Sigil.run("keygen", "--out", dir.resolve("leaf"), "--ec", "P-256", "--subject", "CN=leaf",
                "--ca-cert", dir.resolve("root/cert.pem"), "--ca-key", dir.resolve("root/key.pem"));

        Sigil.Run run = Sigil.run("keygen", "--out", dir.resolve("below"), "--ec", "P-256",
                "--ca-cert", dir.resolve("leaf/cert.pem"), "--ca-key", dir.resolve("leaf/key.pem"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("sigil keygen: issuer CN=leaf is not a CA certificate (basicConstraints CA:TRUE missing); "
                + "it cannot issue keys\n");
    }

    @Test
    void refusesToOverwriteAKey() {
        Sigil.keygen(dir, "CN=first");

        Sigil.Run run = Sigil.run("keygen", "--out", dir, "--ec", "P-256");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("sigil keygen: " + dir.resolve("key.pem")
                + ": a key is already there; remove it or choose another --out directory\n");
    }

    @Test
    void reportsUsageErrorsOnOneLineWithExitCode2() {
        assertThat(Sigil.run("keygen", "--out", dir, "--rsa", "1024"))
                .isEqualTo(new Sigil.Run(2, "", "sigil keygen: RSA keys must have 2048 to 4096 bits, got 1024 (see sigil keygen --help)\n"));
        assertThat(Sigil.run("keygen", "--out", dir, "--rsa", "2048", "--ec", "P-256").err())
                .startsWith("sigil keygen: Error: --rsa=BITS, --ec=CURVE are mutually exclusive").hasLineCount(1);
        assertThat(Sigil.run("keygen", "--out", dir, "--ca-cert", "x.pem").err())
                .isEqualTo("sigil keygen: --ca-cert and --ca-key go together (see sigil keygen --help)\n");
        assertThat(Sigil.run("keygen").err()).isEqualTo("sigil keygen: Missing required option: '--out=DIR' (see sigil keygen --help)\n");
        assertThat(Sigil.run("keygen", "--out", dir, "--ec", "P-521").exitCode()).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("key.pem"))).isFalse();
    }

    @Test
    void explainsItselfWithHelp() {
        Sigil.Run run = Sigil.run("keygen", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: sigil keygen", "--ca-cert=FILE", "--rsa=BITS", "--ec=CURVE", "--days=N");
    }
}
