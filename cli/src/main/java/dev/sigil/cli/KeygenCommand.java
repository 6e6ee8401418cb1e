package dev.sigil.cli;

import dev.sigil.signing.KeySpec;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {
            "Makes a signing key and its certificate: DIR/key.pem (PKCS#8, mode 0600) and DIR/cert.pem.",
            "Without --ca-cert the certificate is a self-signed CA; with it, the CA issues a code-signing certificate.",
            "Every certificate carries a SubjectKeyIdentifier, keyUsage digitalSignature and extendedKeyUsage codeSigning."
        })
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for key.pem and cert.pem (created if needed).")
    Path out;

    @ArgGroup(exclusive = true)
    Algorithm algorithm = new Algorithm();

    static final class Algorithm {
        @Option(names = "--rsa", paramLabel = "BITS", description = "RSA key of 2048 to 4096 bits (default: RSA 3072).")
        Integer rsaBits;

        @Option(names = "--ec", paramLabel = "CURVE", description = "ECDSA key on P-256 or P-384.")
        String curve;
    }

    @Option(names = "--subject", paramLabel = "DN", defaultValue = "CN=Sigil signing key",
            description = "Certificate subject (default: ${DEFAULT-VALUE}).")
    String subject;

    @Option(names = "--days", paramLabel = "N", defaultValue = "365", description = "Validity in days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "Certificate of the CA that issues this key's certificate.")
    Path caCert;

    @Option(names = "--ca-key", paramLabel = "FILE", description = "Private key of that CA.")
    Path caKey;

    @Option(names = "--ca", description = "Make the new certificate a CA too (an intermediate, when --ca-cert is given).")
    boolean certificateAuthority;

    @Override
    public Integer call() throws Exception {
        KeySpec keySpec = keySpec();
        if (days < 1) {
            throw new ParameterException(spec.commandLine(), "--days must be at least 1, got " + days);
        }
        if ((caCert == null) != (caKey == null)) {
            throw new ParameterException(spec.commandLine(), "--ca-cert and --ca-key go together");
        }
        Optional<SigningKey> issuer = caCert == null ? Optional.empty() : Optional.of(SigningKey.load(caKey, caCert));
        Instant now = Instant.now();
        SigningKey key = SigningKeys.generate(keySpec, subject, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(days)),
                issuer, issuer.isEmpty() || certificateAuthority);
        SigningKeys.write(key, out);
        spec.commandLine().getOut().printf("wrote %s and %s: %s, %s, SKID %s, valid until %s, %s%n",
                out.resolve(SigningKeys.KEY_FILE), out.resolve(SigningKeys.CERT_FILE), keySpec,
                key.certificate().getSubjectX500Principal().getName(), key.subjectKeyId(),
                key.certificate().getNotAfter().toInstant(),
                issuer.map(i -> "issued by " + i.certificate().getSubjectX500Principal().getName()
                        + (certificateAuthority ? " (CA)" : "")).orElse("self-signed CA"));
        return 0;
    }

    private KeySpec keySpec() {
        try {
            if (algorithm.curve != null) {
                return KeySpec.ec(algorithm.curve);
            }
            return KeySpec.rsa(algorithm.rsaBits == null ? 3072 : algorithm.rsaBits);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
