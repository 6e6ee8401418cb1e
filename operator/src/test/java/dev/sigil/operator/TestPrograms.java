package dev.sigil.operator;

import dev.sigil.api.SpecIntents;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.BundleSigner;
import dev.sigil.signing.KeyMaterialException;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import dev.sigil.signing.VerificationException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** SignedBpfPrograms made the way a release pipeline makes them: the example skeleton, signed for real. */
public final class TestPrograms {
    public static final String SKELETON_RESOURCE = "examples/counter/counter.lskel.h";
    public static final LightSkeleton COUNTER = SignedFixtures.skeleton(SKELETON_RESOURCE);

    private TestPrograms() {
    }

    public static SigningKey newSigner(String commonName) {
        try {
            return SigningKeys.generate(KeySpec.ec("P-256"), "CN=" + commonName + ",O=Sigil tests", Duration.ofDays(2),
                    Optional.empty());
        } catch (KeyMaterialException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Who signed each bundle (by its signature), so {@link #program} can sign the intent with the same key. */
    private static final Map<String, SigningKey> SIGNERS = new ConcurrentHashMap<>();

    public static SignedBundle sign(SigningKey signer) {
        SignedBundle bundle = BundleSigner.sign(COUNTER, signer);
        SIGNERS.put(bundle.signatureBase64(), signer);
        return bundle;
    }

    /**
     * The signed example, attached to the sys_enter raw tracepoint, on nodes with the given labels, with a
     * signed intent binding exactly that (the node labels stay the cluster's choice).
     */
    public static SignedBpfProgram program(String name, SignedBundle bundle, Map<String, String> nodeLabels) {
        return SignedFixtures.counterOnNodes(name, bundle, signerOf(bundle), nodeLabels);
    }

    /** (Re-)signs the intent of a spec built from {@code bundle}, binding exactly what the spec says now. */
    public static void bindIntent(SignedBpfProgramSpec spec, SignedBundle bundle) {
        try {
            SpecIntents.bindExactly(spec, bundle, signerOf(bundle));
        } catch (VerificationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SigningKey signerOf(SignedBundle bundle) {
        SigningKey signer = SIGNERS.get(bundle.signatureBase64());
        if (signer == null) {
            throw new IllegalStateException("the bundle was not signed through TestPrograms.sign");
        }
        return signer;
    }
}
