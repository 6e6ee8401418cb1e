package dev.sigil.agent.testing;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.SignedBundle;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Base64;
import java.util.List;

/** SignedBpfProgram resources carrying a real signed bundle (from the kernel library's {@code TestBundles}). */
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
        return resource;
    }

    /** The example: counts sys_enter in map {@code counts}; {@code data} holds the signed increment. */
    public static SignedBpfProgram counterResource(String name, long generation, SignedBundle bundle,
            Enforcement enforcement) {
        return resource(name, generation, bundle,
                List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter"))),
                List.of(new MapSpec("counts"), new MapSpec("data")), enforcement);
    }
}
