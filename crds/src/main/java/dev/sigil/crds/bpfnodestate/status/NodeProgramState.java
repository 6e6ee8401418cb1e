package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** One SignedBpfProgram on one node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeProgramState {
    /**
     * The end of the verifier's log, where it says why. With the message bound it keeps a node that reports
     * {@link BpfNodeStateStatus#MAX_PROGRAMS} failed entries within one etcd request.
     */
    public static final int MAX_VERIFIER_LOG_TAIL = 256;
    /** Agents cut longer messages (keeping the start, which names the error). */
    public static final int MAX_MESSAGE = 512;
    /** As many as a SignedBpfProgram may declare. */
    public static final int MAX_LOADED_PROGRAMS = 64;
    /** Far above the pods one node runs (the kubelet's default limit is 110), times the programs of one resource. */
    public static final int MAX_ATTACHED_PODS = 10_000;

    @JsonPropertyDescription("SignedBpfProgram name.")
    @Required
    @Size(min = 1, max = 253)
    private String name;

    @JsonPropertyDescription("The resource generation this entry describes.")
    @Min(0)
    private Long generation;

    @JsonPropertyDescription("SHA-256 of the signed loader, 'sha256:' plus hex.")
    @Size(max = 71)
    @Pattern("^sha256:[0-9a-f]{64}$")
    private String loaderHash;

    @JsonPropertyDescription("Verifying, Loaded, Attached, Failed or Unloading.")
    private ProgramPhase phase;

    @JsonPropertyDescription("For a resource with pod targets: the pods of this node its programs are attached to (a pod counted once per program).")
    @Min(0)
    @Max(MAX_ATTACHED_PODS)
    private Integer attachedPods;

    @JsonPropertyDescription("Which check gated the load: Kernel, Agent or Compat.")
    private AppliedEnforcement enforcement;

    @JsonPropertyDescription("The kernel programs the loader created, with their links and pins.")
    @Size(max = MAX_LOADED_PROGRAMS)
    private List<LoadedProgram> programs = new ArrayList<>();

    @JsonPropertyDescription("Reason code in CamelCase when phase is Failed (e.g. SignatureInvalid, LoaderRejected, AttachFailed).")
    @Size(max = 128)
    @Pattern("^[A-Z][A-Za-z0-9]*$")
    private String reason;

    @JsonPropertyDescription("What went wrong, when phase is Failed.")
    @Size(max = MAX_MESSAGE)
    private String message;

    @Size(max = MAX_VERIFIER_LOG_TAIL)
    @JsonPropertyDescription("Last lines of the kernel verifier log, when the kernel refused a program.")
    private String verifierLogTail;

    @JsonPropertyDescription("When phase last changed (RFC 3339).")
    @Size(max = 64)
    private String lastTransitionTime;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Long getGeneration() {
        return generation;
    }

    public void setGeneration(Long generation) {
        this.generation = generation;
    }

    public String getLoaderHash() {
        return loaderHash;
    }

    public void setLoaderHash(String loaderHash) {
        this.loaderHash = loaderHash;
    }

    public Integer getAttachedPods() {
        return attachedPods;
    }

    public void setAttachedPods(Integer attachedPods) {
        this.attachedPods = attachedPods;
    }

    public ProgramPhase getPhase() {
        return phase;
    }

    public void setPhase(ProgramPhase phase) {
        this.phase = phase;
    }

    public AppliedEnforcement getEnforcement() {
        return enforcement;
    }

    public void setEnforcement(AppliedEnforcement enforcement) {
        this.enforcement = enforcement;
    }

    public List<LoadedProgram> getPrograms() {
        return programs;
    }

    public void setPrograms(List<LoadedProgram> programs) {
        this.programs = programs;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getVerifierLogTail() {
        return verifierLogTail;
    }

    public void setVerifierLogTail(String verifierLogTail) {
        this.verifierLogTail = verifierLogTail;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }
}
