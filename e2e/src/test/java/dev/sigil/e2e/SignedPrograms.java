package dev.sigil.e2e;

import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.BundleSigner;
import dev.sigil.signing.KeyMaterialException;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** The example counter, signed for real by throwaway keys, as SignedBpfProgram resources. */
final class SignedPrograms {
    private static final String SKELETON = "examples/counter/counter.lskel.h";
    static final LightSkeleton COUNTER = SignedFixtures.skeleton(SKELETON);

    private SignedPrograms() {
    }

    static SigningKey newSigner(String commonName) {
        try {
            return SigningKeys.generate(KeySpec.ec("P-256"), "CN=" + commonName + ",O=Sigil e2e", Duration.ofDays(1), Optional.empty());
        } catch (KeyMaterialException e) {
            throw new IllegalStateException(e);
        }
    }

    static SignedBundle sign(SigningKey signer) {
        return BundleSigner.sign(COUNTER, signer);
    }

    /**
     * The counter on the sys_enter raw tracepoint, on the nodes with these labels, with an intent the signer
     * signed binding exactly those attach points (the node labels stay the cluster's choice).
     */
    static SignedBpfProgram program(String name, SignedBundle bundle, SigningKey signer, Map<String, String> nodeLabels) {
        return SignedFixtures.counterOnNodes(name, bundle, signer, nodeLabels);
    }

    /** The metadata with one bit flipped: the signature no longer covers it. */
    static String tamperedMetadata(SignedBundle bundle) {
        byte[] metadata = bundle.metadata().clone();
        metadata[metadata.length / 2] ^= 0x01;
        return Base64.getEncoder().encodeToString(metadata);
    }
}
