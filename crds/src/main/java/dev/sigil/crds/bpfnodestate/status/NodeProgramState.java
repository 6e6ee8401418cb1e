package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** One SignedBpfProgram on one node. */
public class NodeProgramState {
    public static final int MAX_VERIFIER_LOG_TAIL = 4096;

    @JsonPropertyDescription("SignedBpfProgram name.")
    private String name;

    @JsonPropertyDescription("The resource generation this entry describes.")
    private Long generation;

    @JsonPropertyDescription("SHA-256 of the signed loader, 'sha256:' plus hex.")
    private String loaderHash;

    @JsonPropertyDescription("Verifying, Loaded, Attached, Failed or Unloading.")
    private ProgramPhase phase;

    @JsonPropertyDescription("Which check gated the load: Kernel, Agent or Compat.")
    private AppliedEnforcement enforcement;

    @JsonPropertyDescription("The kernel programs the loader created, with their links and pins.")
    private List<LoadedProgram> programs = new ArrayList<>();

    @JsonPropertyDescription("Reason code in CamelCase when phase is Failed (e.g. SignatureInvalid, LoaderRejected, AttachFailed).")
    private String reason;

    @JsonPropertyDescription("What went wrong, when phase is Failed.")
    private String message;

    @Size(max = MAX_VERIFIER_LOG_TAIL)
    @JsonPropertyDescription("Last lines of the kernel verifier log, when the kernel refused a program.")
    private String verifierLogTail;

    @JsonPropertyDescription("When phase last changed (RFC 3339).")
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
