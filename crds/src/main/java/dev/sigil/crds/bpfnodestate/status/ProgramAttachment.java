package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** One target of a program on the node: what it is, its link when attached, why not otherwise. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProgramAttachment {
    /** Agents cut longer messages (keeping the start, which names the error). */
    public static final int MAX_MESSAGE = 256;

    @JsonPropertyDescription("What it attaches to, e.g. Xdp(veth3, Generic).")
    @Size(max = 4352) // a cgroup path (PATH_MAX) plus the attach kind
    private String target;

    @JsonPropertyDescription("Attached, Failed or Detached.")
    private AttachmentState state;

    @JsonPropertyDescription("Kernel link id, when attached.")
    @Min(0)
    private Long linkId;

    @JsonPropertyDescription("Why it is not attached, in CamelCase (e.g. AttachFailed, InterfaceGone, NotTargeted).")
    @Size(max = 128)
    @Pattern("^[A-Z][A-Za-z0-9]*$")
    private String reason;

    @JsonPropertyDescription("What went wrong, when it is not attached.")
    @Size(max = MAX_MESSAGE)
    private String message;

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public AttachmentState getState() {
        return state;
    }

    public void setState(AttachmentState state) {
        this.state = state;
    }

    public Long getLinkId() {
        return linkId;
    }

    public void setLinkId(Long linkId) {
        this.linkId = linkId;
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
}
