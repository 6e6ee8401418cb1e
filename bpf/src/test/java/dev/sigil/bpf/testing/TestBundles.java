package dev.sigil.bpf.testing;

import dev.sigil.signing.BundleSigner;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.testing.Skeletons;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Signed test bundles: the example skeleton and the node agent's test programs, signed with a fresh key. */
public final class TestBundles {
    private static final Map<String, SigningKey> SIGNERS = new ConcurrentHashMap<>();
    private static SigningKey key;
    private static SigningKey stranger;

    private TestBundles() {
    }

    public static synchronized SigningKey key() {
        if (key == null) {
            key = generate("CN=Sigil node-agent tests");
        }
        return key;
    }

    /** A key nobody in {@link #trust()} vouches for. */
    public static synchronized SigningKey untrustedKey() {
        if (stranger == null) {
            stranger = generate("CN=Someone else");
        }
        return stranger;
    }

    private static SigningKey generate(String subject) {
        try {
            return SigningKeys.generate(KeySpec.ec("P-256"), subject, Duration.ofDays(1), Optional.empty());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static TrustBundle trust() {
        return TrustBundle.of(List.of(key().certificate()), Revocations.none());
    }

    /** A light skeleton from the test classpath, e.g. {@code examples/counter/counter.lskel.h}. */
    public static LightSkeleton skeleton(String resource) {
        return Skeletons.parse(resource);
    }

    public static LightSkeleton counter() {
        return Skeletons.parse(Skeletons.COUNTER);
    }

    public static SignedBundle sign(LightSkeleton skeleton, SigningKey signer) {
        return remember(BundleSigner.sign(skeleton, signer), signer);
    }

    /** Notes who signed a bundle made some other way, so a resource made of it can have an intent signed with the same key. */
    public static SignedBundle remember(SignedBundle bundle, SigningKey signer) {
        SIGNERS.put(bundle.signatureBase64(), signer);
        return bundle;
    }

    /** The key that signed the bundle whose signature this is, when it was signed (or remembered) here. */
    public static Optional<SigningKey> signerOf(String signatureBase64) {
        return Optional.ofNullable(SIGNERS.get(signatureBase64));
    }

    /** A unique resource name, so parallel test runs never share a pin directory. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static byte[] flipByte(byte[] data, int index) {
        byte[] copy = data.clone();
        copy[index] ^= 0x01;
        return copy;
    }

    public static SignedBundle withMetadata(SignedBundle bundle, byte[] metadata) {
        return new SignedBundle(bundle.protocol(), bundle.loader(), metadata, bundle.hash(), bundle.signature());
    }

    public static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
