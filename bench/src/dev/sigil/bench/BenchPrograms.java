package dev.sigil.bench;

import dev.sigil.api.SpecIntents;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.AttachHint;
import dev.sigil.signing.BundleSigner;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.VerificationException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One light skeleton signed once with a throwaway P-256 key, and SignedBpfPrograms of it under any name, each
 * with a signed intent binding exactly its attach points: what the benchmarks load. The trust bundle holds the
 * key's self-signed certificate.
 */
final class BenchPrograms {
    private final LightSkeleton skeleton;
    private final SigningKey key;
    private final SignedBundle bundle;
    private final TrustBundle trust;

    private BenchPrograms(LightSkeleton skeleton, SigningKey key) throws VerificationException {
        this.skeleton = skeleton;
        this.key = key;
        this.bundle = BundleSigner.sign(skeleton, key);
        this.trust = TrustBundle.of(List.of(key.certificate()), Revocations.none());
    }

    static BenchPrograms sign(Path skeletonFile) throws Exception {
        return new BenchPrograms(LightSkeleton.parse(skeletonFile),
                SigningKeys.generate(KeySpec.ec("P-256"), "CN=Sigil benchmark", Duration.ofDays(1), Optional.empty()));
    }

    TrustBundle trust() {
        return trust;
    }

    /** A resource of the signed skeleton, generation 1, attached where the skeleton's sections say. */
    SignedBpfProgram resource(String name) throws VerificationException {
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        Base64.Encoder base64 = Base64.getEncoder();
        spec.setLoader(base64.encodeToString(bundle.loader()));
        spec.setMetadata(base64.encodeToString(bundle.metadata()));
        spec.setHash(bundle.hash());
        spec.setSignature(base64.encodeToString(bundle.signature()));
        spec.setPrograms(skeleton.programNames().stream()
                .map(program -> new ProgramSpec(program, attach(program, skeleton.defaultAttach().get(program))))
                .toList());
        spec.setMaps(skeleton.mapNames().stream().map(MapSpec::new).toList());
        SpecIntents.bindExactly(spec, bundle, key);
        SignedBpfProgram resource = new SignedBpfProgram();
        resource.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
        resource.setSpec(spec);
        return resource;
    }

    /** The benchmarks run skeletons that attach where their section names say: tracepoints. */
    private static AttachSpec attach(String program, AttachHint hint) {
        if (hint == null) {
            throw new IllegalArgumentException(program + ": the skeleton names no attach point");
        }
        return switch (hint.kind()) {
            case "raw_tracepoint" -> AttachSpec.rawTracepoint(hint.target());
            case "tp_btf" -> AttachSpec.tpBtf(hint.target());
            default -> throw new IllegalArgumentException(program + ": the benchmark does not attach " + hint.kind());
        };
    }
}
