package dev.sigil.agent.testing;

import dev.sigil.api.SignedSpecs;
import dev.sigil.api.SpecIntents;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.Xdp;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.crds.signedbpfprogram.spec.intent.TargetConstraint;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.VerificationException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * SignedBpfProgram resources carrying a real signed bundle (from the kernel library's {@code TestBundles}),
 * with a signed intent binding exactly what they ask when the bundle was signed there.
 */
public final class TestResources {
    private TestResources() {
    }

    public static SignedBpfProgram resource(String name, long generation, SignedBundle bundle,
            List<ProgramSpec> programs, List<MapSpec> maps, Enforcement enforcement) {
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setLoader(Base64.getEncoder().encodeToString(bundle.loader()));
        spec.setMetadata(Base64.getEncoder().encodeToString(bundle.metadata()));
        spec.setHash(bundle.hash());
        spec.setSignature(Base64.getEncoder().encodeToString(bundle.signature()));
        spec.setPrograms(programs);
        spec.setMaps(maps);
        spec.setEnforcement(enforcement);
        SignedBpfProgram resource = new SignedBpfProgram();
        resource.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(generation).build());
        resource.setSpec(spec);
        return TestBundles.signerOf(spec.getSignature()).isPresent() ? bindIntent(resource) : resource;
    }

    /** The example: counts sys_enter in map {@code counts}; {@code data} holds the signed increment. */
    public static SignedBpfProgram counterResource(String name, long generation, SignedBundle bundle,
            Enforcement enforcement) {
        return resource(name, generation, bundle,
                List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter"))),
                List.of(new MapSpec("counts"), new MapSpec("data")), enforcement);
    }

    /** xdp_count signed for the interfaces matching {@code signedGlob}, the resource asking for {@code pattern}. */
    public static SignedBpfProgram xdpForPattern(String name, String signedGlob, String pattern)
            throws VerificationException {
        return xdpSignedForGlob(name, signedGlob, AttachSpec.xdp(Xdp.matching(pattern, XdpMode.Generic)));
    }

    /**
     * xdp_count with its signed intent admitting interfaces that match {@code signedGlob}, the resource asking for
     * {@code resourceAttach} (an interface, the primary interface or a pattern: what the agent checks against the
     * signed glob).
     */
    public static SignedBpfProgram xdpSignedForGlob(String name, String signedGlob, AttachSpec resourceAttach)
            throws VerificationException {
        SignedBpfProgram resource = resource(name, 1,
                TestBundles.sign(TestBundles.skeleton("bpf/xdp_count.lskel.h"), TestBundles.key()),
                List.of(new ProgramSpec("xdp_count", AttachSpec.xdp("unused0", XdpMode.Generic))),
                List.of(new MapSpec("hits")), Enforcement.Auto);
        resource.getSpec().getIntent().getPrograms().getFirst().getAttach().getXdp()
                .setInterfaceName(TargetConstraint.glob(signedGlob));
        SpecIntents.sign(resource.getSpec(), TestBundles.key());
        resource.getSpec().getPrograms().getFirst().setAttach(resourceAttach);
        return resource;
    }

    /**
     * Signs the resource's intent anew, binding exactly what its spec says now, with the key that signed its
     * loader (a test that changes the spec on purpose re-binds it to reach the checks after verification).
     */
    public static SignedBpfProgram bindIntent(SignedBpfProgram resource) {
        SignedBpfProgramSpec spec = resource.getSpec();
        Optional<SigningKey> signer = TestBundles.signerOf(spec.getSignature());
        if (signer.isEmpty()) {
            throw new IllegalStateException("the resource's bundle was not signed through TestBundles.sign");
        }
        try {
            SpecIntents.bindExactly(spec, SignedSpecs.read(stripIntent(spec)).bundle(), signer.get());
        } catch (VerificationException e) {
            throw new IllegalStateException(e);
        }
        return resource;
    }

    private static SignedBpfProgramSpec stripIntent(SignedBpfProgramSpec spec) {
        spec.setIntent(null);
        spec.setIntentSignature(null);
        return spec;
    }
}
