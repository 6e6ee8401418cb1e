package dev.sigil.crds.signedbpfprogram.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.schema.SchemaMergePatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator observed: verification, signer, and the nodes' attach status folded together.
 *
 * <p>Conditions use Fabric8's {@link Condition}, whose schema has no descriptions or bounds; they are
 * added here with the constraints of Kubernetes' own {@code metav1.Condition} (messages bounded
 * tighter, at 4096 characters, for the size budget; message is optional), so the API
 * server rejects a malformed condition and {@code kubectl wait --for=condition=Ready} and generic
 * health checks can rely on one entry per type.
 */
@SchemaCustomizer(value = SchemaMergePatch.class, input = """
        {"properties": {"conditions": {
           "maxItems": 4,
           "x-kubernetes-list-type": "map",
           "x-kubernetes-list-map-keys": ["type"],
           "items": {
             "required": ["type", "status", "reason", "lastTransitionTime"],
             "properties": {
               "type": {"description": "Condition type: Verified, Ready or Degraded.", "maxLength": 316, "pattern": "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"},
               "status": {"description": "True, False or Unknown.", "enum": ["True", "False", "Unknown"]},
               "reason": {"description": "Why the condition last changed, in CamelCase (e.g. SignatureInvalid, AllNodesAttached).", "minLength": 1, "maxLength": 1024, "pattern": "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"},
               "message": {"description": "Human-readable details.", "maxLength": 4096},
               "lastTransitionTime": {"description": "When status last changed (RFC 3339).", "format": "date-time"},
               "observedGeneration": {"description": "The metadata.generation the condition was computed from.", "minimum": 0}}}}}}
        """)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SignedBpfProgramStatus {
    public static final int MAX_FAILING_NODES = 10;
    public static final int MAX_STALE_NODES = 10;

    @JsonPropertyDescription("The metadata.generation this status describes.")
    @Min(0)
    private Long observedGeneration;

    @JsonPropertyDescription("Verified (signature and trust checked), Ready (attached on every targeted node; Unknown while some targeted node's agent has stopped reporting), Degraded (some node failed). Kubernetes condition conventions.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Who signed the program, from the certificate that verified the signature.")
    private SignerStatus signer;

    @JsonPropertyDescription("SHA-256 of the signed loader instructions, as 'sha256:' plus hex; what revocation lists name.")
    @Size(max = 71)
    @Pattern("^sha256:[0-9a-f]{64}$")
    private String loaderHash;

    @JsonPropertyDescription("Bound: a signed intent binds the programs' attach points, maps, enforcement and required node labels. Unbound: the resource has no signed intent and runs only because the trust bundle admits unbound programs; its attach points are nobody's signed decision.")
    private IntentBinding binding;

    @JsonPropertyDescription("Nodes the program's selector matches.")
    @Min(0)
    private Integer targetedNodes;

    @JsonPropertyDescription("Targeted nodes whose agent reports the observed generation attached (stale nodes not included).")
    @Min(0)
    private Integer attachedNodes;

    @JsonPropertyDescription("For a program with pod targets: the pods its programs are attached to, summed over the attached nodes (a pod counted once per program).")
    @Min(0)
    private Integer attachedPods;

    @JsonPropertyDescription("Targeted nodes whose agent reports a failure (stale nodes not included).")
    @Min(0)
    private Integer failedNodes;

    @JsonPropertyDescription("Targeted nodes whose agent has not reported within the operator's allowance (a number of"
            + " its heartbeat intervals): what they run is unknown, so they count neither as attached nor as failed.")
    @Min(0)
    private Integer staleNodes;

    @Size(max = MAX_FAILING_NODES)
    @JsonPropertyDescription("Up to ten failing nodes with their reasons; failedNodes gives the full count.")
    private List<FailingNode> failingNodes = new ArrayList<>();

    @Size(max = MAX_STALE_NODES)
    @JsonPropertyDescription("Up to ten stale nodes with the time their agent last reported; staleNodes gives the full count.")
    private List<StaleNode> staleNodeReports = new ArrayList<>();

    public IntentBinding getBinding() {
        return binding;
    }

    public void setBinding(IntentBinding binding) {
        this.binding = binding;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public SignerStatus getSigner() {
        return signer;
    }

    public void setSigner(SignerStatus signer) {
        this.signer = signer;
    }

    public String getLoaderHash() {
        return loaderHash;
    }

    public void setLoaderHash(String loaderHash) {
        this.loaderHash = loaderHash;
    }

    public Integer getTargetedNodes() {
        return targetedNodes;
    }

    public void setTargetedNodes(Integer targetedNodes) {
        this.targetedNodes = targetedNodes;
    }

    public Integer getAttachedPods() {
        return attachedPods;
    }

    public void setAttachedPods(Integer attachedPods) {
        this.attachedPods = attachedPods;
    }

    public Integer getAttachedNodes() {
        return attachedNodes;
    }

    public void setAttachedNodes(Integer attachedNodes) {
        this.attachedNodes = attachedNodes;
    }

    public Integer getFailedNodes() {
        return failedNodes;
    }

    public void setFailedNodes(Integer failedNodes) {
        this.failedNodes = failedNodes;
    }

    public Integer getStaleNodes() {
        return staleNodes;
    }

    public void setStaleNodes(Integer staleNodes) {
        this.staleNodes = staleNodes;
    }

    public List<FailingNode> getFailingNodes() {
        return failingNodes;
    }

    public void setFailingNodes(List<FailingNode> failingNodes) {
        this.failingNodes = failingNodes;
    }

    public List<StaleNode> getStaleNodeReports() {
        return staleNodeReports;
    }

    public void setStaleNodeReports(List<StaleNode> staleNodeReports) {
        this.staleNodeReports = staleNodeReports;
    }
}
