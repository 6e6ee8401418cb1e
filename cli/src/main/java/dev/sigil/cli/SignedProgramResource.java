package dev.sigil.cli;

import dev.sigil.api.resource.ResourceException;
import dev.sigil.api.resource.ResourceReader;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.Protocol;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.SignedBundle;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesResourceUtil;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.Map;

/** The SignedBpfProgram resource: built from a signed skeleton, and read from or written as YAML. */
final class SignedProgramResource {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private SignedProgramResource() {
    }

    /**
     * @param attach one attach point per program of the skeleton
     * @throws IllegalArgumentException when the name is not a Kubernetes object name
     */
    static SignedBpfProgram build(String name, LightSkeleton skeleton, SignedBundle bundle, Map<String, AttachSpec> attach,
            Map<String, String> nodeSelector, Enforcement enforcement) {
        if (!KubernetesResourceUtil.isValidSubdomainName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a Kubernetes object name "
                    + "(lower case letters, digits, '-' and '.', starting and ending with a letter or digit)");
        }
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setProtocol(Protocol.valueOf(bundle.protocol()));
        spec.setLoader(bundle.loaderBase64());
        spec.setMetadata(bundle.metadataBase64());
        spec.setHash(bundle.hash());
        spec.setSignature(bundle.signatureBase64());
        spec.setPrograms(skeleton.programNames().stream().map(program -> new ProgramSpec(program, attach.get(program))).toList());
        spec.setMaps(skeleton.mapNames().stream().map(MapSpec::new).toList());
        if (!nodeSelector.isEmpty()) {
            spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(nodeSelector).build());
        }
        spec.setEnforcement(enforcement);
        SignedBpfProgram resource = new SignedBpfProgram();
        resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
        resource.setSpec(spec);
        return resource;
    }

    static String toYaml(SignedBpfProgram resource) {
        return SERIALIZATION.asYaml(resource);
    }

    static String toJson(Object value) {
        return SERIALIZATION.asJson(value);
    }

    /** Reads one SignedBpfProgram with the one resource reader; anything else is a usage error naming the file. */
    static SignedBpfProgram read(Path file) {
        try {
            return ResourceReader.read(file);
        } catch (ResourceException e) {
            throw new CliException(CliException.USAGE, e.getMessage(), e);
        }
    }
}
