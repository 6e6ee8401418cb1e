package dev.sigil.agent.testing;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** SignedBpfProgram resources for tests that run against a {@link FakeProgramHost}: shape only, no real signature. */
public final class TestPrograms {
    private TestPrograms() {
    }

    /** A counter-like program; {@code loaderText} stands in for the loader bytes, so it decides the loader hash. */
    public static SignedBpfProgram program(String name, String loaderText, LabelSelector nodeSelector) {
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setLoader(base64(loaderText));
        spec.setMetadata(base64("metadata of " + loaderText));
        spec.setHash("sha256:" + "0".repeat(64));
        spec.setSignature(base64("signature of " + loaderText));
        spec.setPrograms(List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter"))));
        spec.setMaps(List.of(new MapSpec("counts"), new MapSpec("data")));
        spec.setNodeSelector(nodeSelector);
        SignedBpfProgram program = new SignedBpfProgram();
        program.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
        program.setSpec(spec);
        return program;
    }

    public static String loaderHash(SignedBpfProgram program) {
        try {
            byte[] loader = Base64.getDecoder().decode(program.getSpec().getLoader());
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(loader));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
