package dev.sigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.signing.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party checks a signed intent with OpenSSL alone: the canonical bytes of {@code spec.intent} and
 * {@code spec.intentSignature} verify with {@code openssl cms -verify}, and one changed byte of the intent does not.
 * The loader's own signature keeps the kernel's form (OpenSslInteropTest in signing).
 */
class IntentOpenSslTest {
    @TempDir
    Path dir;

    @Test
    void opensslVerifiesTheIntentSignatureOverTheCanonicalBytes() throws Exception {
        var spec = SignedFixtures.counter("c").getSpec();
        SigningKeys.write(SignedFixtures.KEY, dir.resolve("key"));
        byte[] canonical = SignedSpecs.intent(spec.getIntent()).canonicalBytes();
        Files.write(dir.resolve("intent.json"), canonical);
        Files.write(dir.resolve("tampered.json"), new String(canonical, StandardCharsets.UTF_8)
                .replace("sys_enter", "sys_exit").getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("intent.sig"), Base64.getDecoder().decode(spec.getIntentSignature()));

        assertThat(openssl("intent.json")).isZero();
        assertThat(openssl("tampered.json")).isNotZero();
    }

    private int openssl(String content) throws Exception {
        String cert = dir.resolve("key/cert.pem").toString();
        Process process = new ProcessBuilder(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-in", dir.resolve("intent.sig").toString(), "-content", dir.resolve(content).toString(),
                "-CAfile", cert, "-certfile", cert, "-purpose", "any", "-out", "/dev/null"))
                .redirectErrorStream(true).redirectOutput(dir.resolve(content + ".log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
