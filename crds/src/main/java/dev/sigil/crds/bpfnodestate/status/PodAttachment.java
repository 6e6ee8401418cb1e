package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One pod a program of a pod target is attached to on this node, or failed to attach to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodAttachment {
    public static final int MAX_CGROUP = 256;
    public static final int MAX_REASON = 128;

    @Required
    @Size(max = 253)
    @JsonPropertyDescription("The SignedBpfProgram.")
    private String resource;

    @Required
    @Size(max = 15)
    @JsonPropertyDescription("The program of the resource, as the kernel names it.")
    private String program;

    @Required
    @Size(max = 63)
    @JsonPropertyDescription("The pod's namespace.")
    private String namespace;

    @Required
    @Size(max = 253)
    @JsonPropertyDescription("The pod's name.")
    private String pod;

    @Size(max = 36)
    @JsonPropertyDescription("The pod's UID.")
    private String uid;

    @Size(max = MAX_CGROUP)
    @JsonPropertyDescription("The pod's cgroup directory on the node.")
    private String cgroup;

    @Min(0)
    @JsonPropertyDescription("The kernel's id of the link attaching the program to the pod's cgroup, when attached.")
    private Long linkId;

    @Required
    @JsonPropertyDescription("Attached, or Failed with a reason.")
    private ProgramPhase phase;

    @Size(max = MAX_REASON)
    @JsonPropertyDescription("Why the program is not attached to the pod, when it is not.")
    private String reason;

    public PodAttachment() {
    }

    public PodAttachment(String resource, String program, String namespace, String pod, String uid, String cgroup) {
        this.resource = resource;
        this.program = program;
        this.namespace = namespace;
        this.pod = pod;
        this.uid = uid;
        this.cgroup = cgroup;
    }

    public String getResource() {
        return resource;
    }

    public void setResource(String resource) {
        this.resource = resource;
    }

    public String getProgram() {
        return program;
    }

    public void setProgram(String program) {
        this.program = program;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getPod() {
        return pod;
    }

    public void setPod(String pod) {
        this.pod = pod;
    }

    public String getUid() {
        return uid;
    }

    public void setUid(String uid) {
        this.uid = uid;
    }

    public String getCgroup() {
        return cgroup;
    }

    public void setCgroup(String cgroup) {
        this.cgroup = cgroup;
    }

    public Long getLinkId() {
        return linkId;
    }

    public void setLinkId(Long linkId) {
        this.linkId = linkId;
    }

    public ProgramPhase getPhase() {
        return phase;
    }

    public void setPhase(ProgramPhase phase) {
        this.phase = phase;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
