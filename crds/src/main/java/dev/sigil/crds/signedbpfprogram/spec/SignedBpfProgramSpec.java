package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.schema.LabelSelectorSchema;
import dev.sigil.crds.schema.SchemaMergePatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import dev.sigil.crds.signedbpfprogram.spec.intent.IntentSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * The signed pieces of one BPF program and where it should run. Every string and list is bounded:
 * the bounds keep the whole object, at its largest, under etcd's 1.5 MiB request limit (a test
 * builds that largest object), and the API server needs them to estimate the cost of CEL rules.
 *
 * <p>Program and map names are list-map keys: the API server rejects duplicates and server-side
 * apply merges entries by name. The label selector is Kubernetes' own type, which carries no
 * descriptions or bounds of its own, so they are added to its schema here.
 */
@SchemaCustomizer(value = SchemaMergePatch.class, input = """
        {"properties": {
           "programs": {"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]},
           "maps": {"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]},
           "nodeSelector": """ + LabelSelectorSchema.NODE_SELECTOR + "}}")
@ValidationRule(value = "has(self.intent) == has(self.intentSignature)", message = "intent and intentSignature come together")
@ValidationRule(value = SignedBpfProgramSpec.POD_TARGETS_RULE, message = SignedBpfProgramSpec.POD_TARGETS_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SignedBpfProgramSpec {
    /** Base64 of 192 KiB: far beyond any light-skeleton loader, small enough for etcd. */
    public static final int MAX_LOADER_BASE64 = 262_144;
    /** Base64 of 768 KiB of metadata (programs, maps, BTF, initial data). */
    public static final int MAX_METADATA_BASE64 = 1_048_576;
    public static final int MAX_SIGNATURE_BASE64 = 16_384;
    public static final int MAX_PROGRAMS = 64;
    public static final int MAX_MAPS = 64;
    /** A pod target's selectors are larger than a cgroup path: this many keep the largest resource within one etcd request. */
    public static final int MAX_POD_TARGETS = 4;
    public static final String POD_TARGETS_RULE = "self.programs.filter(p, has(p.attach.cgroup) && has(p.attach.cgroup.pods)).size() <= "
            + MAX_POD_TARGETS;
    public static final String POD_TARGETS_MESSAGE = "at most " + MAX_POD_TARGETS + " programs may target pods";

    @Required
    @Size(min = 1, max = MAX_LOADER_BASE64)
    @Pattern("^[A-Za-z0-9+/]*={0,2}$")
    @JsonPropertyDescription("Signed loader program (BPF_PROG_TYPE_SYSCALL instructions, protocol prologue included), base64.")
    private String loader;

    @Required
    @Size(min = 1, max = MAX_METADATA_BASE64)
    @Pattern("^[A-Za-z0-9+/]*={0,2}$")
    @JsonPropertyDescription("Metadata blob the loader reads (programs, maps, BTF, initial data), base64.")
    private String metadata;

    @Required
    @Size(max = 71)
    @Pattern("^sha256:[0-9a-f]{64}$")
    @JsonPropertyDescription("SHA-256 of the metadata blob, as 'sha256:' followed by 64 lowercase hex digits; the signed loader embeds it.")
    private String hash;

    @Required
    @Size(min = 1, max = MAX_SIGNATURE_BASE64)
    @Pattern("^[A-Za-z0-9+/]*={0,2}$")
    @JsonPropertyDescription("Detached CMS/PKCS#7 SignedData (DER, base64) over the signed loader instructions; no certificates, no signed attributes, signer named by SubjectKeyIdentifier.")
    private String signature;

    @Default("LoaderHashV1")
    @JsonPropertyDescription("Signed-loader protocol the pieces follow. LoaderHashV1: the loader checks the metadata map's hash (Linux 6.18).")
    private Protocol protocol = Protocol.LoaderHashV1;

    @Required
    @Size(min = 1, max = MAX_PROGRAMS)
    @JsonPropertyDescription("The programs the loader creates, in skeleton order, each with where to attach it.")
    private List<ProgramSpec> programs = new ArrayList<>();

    @Size(max = MAX_MAPS)
    @JsonPropertyDescription("The maps the loader creates, in skeleton order.")
    private List<MapSpec> maps = new ArrayList<>();

    @JsonPropertyDescription("Nodes that should run the program. Empty or absent selects every Linux node.")
    private LabelSelector nodeSelector;

    @JsonPropertyDescription("The signed intent (SigilIntentV1): what the signer approved about where and how the programs run. The operator and every agent compare this resource with it and refuse any difference (IntentMismatch). Written by 'sigil sign'; never edit it.")
    private IntentSpec intent;

    @Size(min = 1, max = MAX_SIGNATURE_BASE64)
    @Pattern("^[A-Za-z0-9+/]*={0,2}$")
    @JsonPropertyDescription("Detached CMS SignedData (DER, base64) by the loader's signer over the RFC 8785 canonical JSON of spec.intent; it may carry signed attributes such as the signing time.")
    private String intentSignature;

    @Default("Auto")
    @JsonPropertyDescription("Who enforces the signature on a node: Kernel (the kernel checks it; refused where unsupported), Agent (the node agent's own check), or Auto (Kernel where the node's probe says it works, else Agent).")
    private Enforcement enforcement = Enforcement.Auto;

    public String getLoader() {
        return loader;
    }

    public void setLoader(String loader) {
        this.loader = loader;
    }

    public String getMetadata() {
        return metadata;
    }

    public void setMetadata(String metadata) {
        this.metadata = metadata;
    }

    public String getHash() {
        return hash;
    }

    public void setHash(String hash) {
        this.hash = hash;
    }

    public String getSignature() {
        return signature;
    }

    public void setSignature(String signature) {
        this.signature = signature;
    }

    public Protocol getProtocol() {
        return protocol;
    }

    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    public List<ProgramSpec> getPrograms() {
        return programs;
    }

    public void setPrograms(List<ProgramSpec> programs) {
        this.programs = programs;
    }

    public List<MapSpec> getMaps() {
        return maps;
    }

    public void setMaps(List<MapSpec> maps) {
        this.maps = maps;
    }

    public LabelSelector getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(LabelSelector nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public IntentSpec getIntent() {
        return intent;
    }

    public void setIntent(IntentSpec intent) {
        this.intent = intent;
    }

    public String getIntentSignature() {
        return intentSignature;
    }

    public void setIntentSignature(String intentSignature) {
        this.intentSignature = intentSignature;
    }

    public Enforcement getEnforcement() {
        return enforcement;
    }

    public void setEnforcement(Enforcement enforcement) {
        this.enforcement = enforcement;
    }
}
