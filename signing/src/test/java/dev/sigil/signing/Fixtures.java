package dev.sigil.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Fixed key material and a small synthetic bundle, committed under {@code fixtures/}, so fuzz corpora and
 * mutation tables refer to the same bytes on every machine (the example's loader depends on the compiler).
 * The RSA and EC keys are self-signed code-signing CAs valid through 2030 ({@link TestCertificates#DURING}).
 */
final class Fixtures {
    static final String RSA = "rsa";
    static final String EC = "ec";
    static final byte[] METADATA = "Sigil fixture metadata: stands in for a light skeleton's maps and programs"
            .getBytes(StandardCharsets.US_ASCII);
    /** {@code P(H) || r0 = 0; exit}: the smallest loader a LoaderHashV1 verifier takes. */
    static final byte[] LOADER = LoaderHashV1.signedLoader(bareLoader(), METADATA);

    private Fixtures() {
    }

    static SigningKey key(String kind) {
        try {
            return new SigningKey(Pem.readPrivateKeyText(text(kind + "-key.pem"), kind + "-key.pem"),
                    Pem.readCertificates(text(kind + "-cert.pem"), kind + "-cert.pem").getFirst());
        } catch (KeyMaterialException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The committed signature of {@link #LOADER} by the fixture key of that kind ({@code sigil sign}'s form). */
    static byte[] signature(String kind) {
        return bytes(kind + "-signature.der");
    }

    static SignedBundle bundle(byte[] signature) {
        return new SignedBundle(LoaderHashV1.NAME, LOADER, METADATA, Sha256.tagged(METADATA), signature);
    }

    /** Trusts both fixture certificates, at {@link TestCertificates#DURING}. */
    static BundleVerifier verifier() {
        List<X509Certificate> anchors = List.of(key(RSA).certificate(), key(EC).certificate());
        return new BundleVerifier(TrustBundle.of(anchors, Revocations.none()), Clock.fixed(TestCertificates.DURING, ZoneOffset.UTC));
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource fixtures/" + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bareLoader() {
        ByteBuffer instructions = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        instructions.put((byte) 0xb7).put((byte) 0).putShort((short) 0).putInt(0);  // r0 = 0
        instructions.put((byte) 0x95).put((byte) 0).putShort((short) 0).putInt(0);  // exit
        return instructions.array();
    }
}
