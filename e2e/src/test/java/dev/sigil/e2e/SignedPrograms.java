package dev.sigil.e2e;

import dev.sigil.api.SpecIntents;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.BundleSigner;
import dev.sigil.signing.KeyMaterialException;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import dev.sigil.signing.VerificationException;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
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
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setLoader(bundle.loaderBase64());
        spec.setMetadata(bundle.metadataBase64());
        spec.setHash(bundle.hash());
        spec.setSignature(bundle.signatureBase64());
        spec.setPrograms(new ArrayList<>(COUNTER.programNames().stream()
                .map(program -> new ProgramSpec(program, AttachSpec.rawTracepoint("sys_enter")))
                .toList()));
        spec.setMaps(new ArrayList<>(COUNTER.mapNames().stream().map(MapSpec::new).toList()));
        spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(nodeLabels).build());
        try {
            SpecIntents.bindExactly(spec, bundle, signer);
        } catch (VerificationException e) {
            throw new IllegalStateException(e);
        }
        SignedBpfProgram program = new SignedBpfProgram();
        program.setMetadata(new ObjectMetaBuilder().withName(name).build());
        program.setSpec(spec);
        return program;
    }

    /** The metadata with one bit flipped: the signature no longer covers it. */
    static String tamperedMetadata(SignedBundle bundle) {
        byte[] metadata = bundle.metadata().clone();
        metadata[metadata.length / 2] ^= 0x01;
        return Base64.getEncoder().encodeToString(metadata);
    }
}
