package dev.sigil.crds.signedbpfprogram.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed: verification, signer, and the nodes' attach status folded together. */
public class SignedBpfProgramStatus {
    public static final int MAX_FAILING_NODES = 10;

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Verified (signature and trust checked), Ready (attached on every targeted node), Degraded (some node failed). Kubernetes condition conventions.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Who signed the program, from the certificate that verified the signature.")
    private SignerStatus signer;

    @JsonPropertyDescription("SHA-256 of the signed loader instructions, as 'sha256:' plus hex; what revocation lists name.")
    private String loaderHash;

    @JsonPropertyDescription("Nodes the program's selector matches.")
    private Integer targetedNodes;

    @JsonPropertyDescription("Targeted nodes whose agent reports the observed generation attached.")
    private Integer attachedNodes;

    @JsonPropertyDescription("Targeted nodes whose agent reports a failure.")
    private Integer failedNodes;

    @Size(max = MAX_FAILING_NODES)
    @JsonPropertyDescription("Up to ten failing nodes with their reasons; failedNodes gives the full count.")
    private List<FailingNode> failingNodes = new ArrayList<>();

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

    public List<FailingNode> getFailingNodes() {
        return failingNodes;
    }

    public void setFailingNodes(List<FailingNode> failingNodes) {
        this.failingNodes = failingNodes;
    }
}
