package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.signing.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys as OpenSSL writes them, in every form Sigil accepts, and the ones it refuses. */
class SigningKeyTest {
    @TempDir
    Path dir;

    private String openssl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        return Shell.run(dir, command);
    }

    /** Makes {@code key.pem} with OpenSSL: PKCS#8 first, converted to the traditional form on request. */
    private Path opensslKey(String algorithm, String parameter, boolean traditional) {
        if (algorithm.equals("rsa")) {
            openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:" + parameter, "-out", "pkcs8.pem");
            if (traditional) {
                openssl("rsa", "-in", "pkcs8.pem", "-traditional", "-out", "key.pem");
            }
        } else if (traditional) {
            openssl("ecparam", "-name", parameter, "-genkey", "-out", "key.pem");
        } else {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + parameter, "-out", "pkcs8.pem");
        }
        Path key = dir.resolve("key.pem");
        if (!Files.exists(key)) {
            key = dir.resolve("pkcs8.pem");
        }
        return key;
    }

    private Path opensslCertificate(Path key, String... extraArgs) {
        List<String> args = new java.util.ArrayList<>(List.of("req", "-new", "-x509", "-key", key.getFileName().toString(),
                "-subj", "/CN=openssl made", "-days", "2", "-out", "cert.pem"));
        args.addAll(List.of(extraArgs));
        openssl(args.toArray(String[]::new));
        return dir.resolve("cert.pem");
    }

    @ParameterizedTest(name = "{0} {1}, traditional={2}")
    @CsvSource({
        "rsa, 2048, false, BEGIN PRIVATE KEY, RSA 2048",
        "rsa, 3072, true, BEGIN RSA PRIVATE KEY, RSA 3072",
        "rsa, 4096, false, BEGIN PRIVATE KEY, RSA 4096",
        "ec, prime256v1, true, BEGIN EC PRIVATE KEY, EC P-256",
        "ec, P-256, false, BEGIN PRIVATE KEY, EC P-256",
        "ec, secp384r1, true, BEGIN EC PRIVATE KEY, EC P-384",
        "ec, P-384, false, BEGIN PRIVATE KEY, EC P-384",
    })
    void loadsOpensslKeysAndSignsWithThem(String algorithm, String parameter, boolean traditional, String pemHeader,
            String expectedSpec) throws Exception {
        Path key = opensslKey(algorithm, parameter, traditional);
        assertThat(Files.readString(key)).contains(pemHeader);
        Path certificate = opensslCertificate(key);

        SigningKey loaded = SigningKey.load(key, certificate);
        SignedBundle bundle = BundleSigner.sign(CounterSkeleton.parsed(), loaded);

        assertThat(loaded.spec()).hasToString(expectedSpec);
        assertThat(new BundleVerifier(TrustBundle.load(certificate), Clock.systemUTC()).verify(bundle).signer().subject())
                .isEqualTo("CN=openssl made");
    }

    @Test
    void rejectsAnRsaKeyBelow2048Bits() {
        Path key = opensslKey("rsa", "1024", false);
        Path certificate = opensslCertificate(key);

        assertThatThrownBy(() -> SigningKey.load(key, certificate)).isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("RSA keys must have 2048 to 4096 bits, got 1024");
    }

    @Test
    void rejectsAnUnsupportedCurve() {
        Path key = opensslKey("ec", "secp521r1", true);
        Path certificate = opensslCertificate(key);

        assertThatThrownBy(() -> SigningKey.load(key, certificate))
                .hasMessageContaining("EC curve 1.3.132.0.35 is not supported; use P-256 or P-384");
    }

    @Test
    void rejectsAnEd25519Key() {
        openssl("genpkey", "-algorithm", "ed25519", "-out", "key.pem");
        Path certificate = opensslCertificate(dir.resolve("key.pem"));

        assertThatThrownBy(() -> SigningKey.load(dir.resolve("key.pem"), certificate))
                .hasMessageContaining("keys are not supported; use RSA 2048-4096 or EC P-256/P-384");
    }

    @Test
    void rejectsAnEncryptedKeyWithAHint() {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-128-cbc", "-pass", "pass:secret",
                "-out", "key.pem");

        assertThatThrownBy(() -> SigningKey.load(dir.resolve("key.pem"), dir.resolve("unused.pem")))
                .hasMessageContaining("the private key is encrypted").hasMessageContaining("openssl pkey");
    }

    @Test
    void rejectsACertificateWithoutSubjectKeyIdentifier() {
        Path key = opensslKey("ec", "P-256", false);
        Path certificate = opensslCertificate(key, "-addext", "subjectKeyIdentifier=none", "-addext",
                "authorityKeyIdentifier=none");

        assertThatThrownBy(() -> SigningKey.load(key, certificate))
                .hasMessageContaining("the certificate has no SubjectKeyIdentifier extension");
    }

    @Test
    void rejectsAKeyThatIsNotTheCertificates() throws Exception {
        Path key = opensslKey("ec", "P-256", false);
        Path certificate = opensslCertificate(key);
        Path otherKey = Files.move(key, dir.resolve("first.pem"));
        opensslKey("ec", "P-256", false);

        assertThatThrownBy(() -> SigningKey.load(dir.resolve("pkcs8.pem"), certificate))
                .hasMessage(dir.resolve("pkcs8.pem") + " is not the private key for the certificate in " + certificate);
        assertThat(SigningKey.load(otherKey, certificate).certificate().getSubjectX500Principal().getName()).isEqualTo("CN=openssl made");
    }

    @Test
    void rejectsFilesThatHoldSomethingElse() throws Exception {
        Path certificate = opensslCertificate(opensslKey("ec", "P-256", false));

        assertThatThrownBy(() -> SigningKey.load(certificate, certificate))
                .hasMessage(certificate + ": expected a private key, found a certificate");
        assertThatThrownBy(() -> SigningKey.load(dir.resolve("pkcs8.pem"), dir.resolve("pkcs8.pem")))
                .hasMessage(dir.resolve("pkcs8.pem") + ": expected only certificates, found PrivateKeyInfo");
    }

    /** Issue 10.3: a Latin-1 comment in a key file used to say only "Input length = 1". */
    @Test
    void namesTheByteThatIsNotUtf8() throws Exception {
        Path key = opensslKey("ec", "P-256", false);
        java.io.ByteArrayOutputStream commented = new java.io.ByteArrayOutputStream();
        commented.writeBytes(new byte[] {'#', ' ', 'c', 'l', (byte) 0xe9, '\n'});
        commented.writeBytes(java.nio.file.Files.readAllBytes(key));
        java.nio.file.Files.write(key, commented.toByteArray());

        assertThatThrownBy(() -> SigningKey.load(key, key)).isInstanceOf(KeyMaterialException.class)
                .hasMessage(key + ": not UTF-8 text: byte 0xe9 at offset 4 does not start a valid UTF-8 sequence");
    }

    @Test
    void writesKeysOpensslCanReadWithAPrivateKeyFile() throws Exception {
        SigningKey key = SigningKeys.generate(KeySpec.ec("P-384"), "CN=written", Duration.ofDays(1), Optional.empty());

        SigningKeys.write(key, dir.resolve("out"));

        Path keyFile = dir.resolve("out/key.pem");
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(openssl("pkey", "-in", keyFile.toString(), "-noout", "-text")).contains("NIST CURVE: P-384");
        assertThat(openssl("x509", "-in", "out/cert.pem", "-noout", "-subject")).contains("CN = written");
        assertThat(SigningKey.load(keyFile, dir.resolve("out/cert.pem")).spec()).isEqualTo(KeySpec.ec("P-384"));
    }

    @Test
    void refusesToOverwriteAKey() throws Exception {
        SigningKey key = SigningKeys.generate(KeySpec.ec("P-256"), "CN=first", Duration.ofDays(1), Optional.empty());
        SigningKeys.write(key, dir);

        assertThatThrownBy(() -> SigningKeys.write(key, dir)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class)
                .hasMessageContaining("a key is already there");
    }

    @Test
    void keySpecsRejectWhatSigilDoesNotSign() {
        assertThatThrownBy(() -> KeySpec.rsa(8192)).hasMessage("RSA keys must have 2048 to 4096 bits, got 8192");
        assertThatThrownBy(() -> KeySpec.ec("P-521")).hasMessage("EC curve must be one of [P-256, P-384], got P-521");
        assertThat(KeySpec.ec("secp384r1")).isEqualTo(KeySpec.ec("P-384"));
    }

    @Test
    void keygenRejectsABadSubject() {
        assertThatThrownBy(() -> SigningKeys.generate(KeySpec.ec("P-256"), "not a DN", Duration.ofDays(1), Optional.empty()))
                .isInstanceOf(KeyMaterialException.class).hasMessageStartingWith("subject 'not a DN' is not a distinguished name");
    }
}
