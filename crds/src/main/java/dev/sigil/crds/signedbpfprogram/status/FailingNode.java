package dev.sigil.crds.signedbpfprogram.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** One node that failed to load or attach the program. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailingNode {
    /** The schema refuses longer messages: the operator shortens a node's message to fit. */
    public static final int MAX_MESSAGE = 1024;
    public static final int MAX_REASON = 128;

    @JsonPropertyDescription("Node name.")
    @Size(max = 253)
    private String node;

    @JsonPropertyDescription("Reason code in CamelCase, e.g. SignatureInvalid or AttachFailed.")
    @Size(max = MAX_REASON)
    private String reason;

    @JsonPropertyDescription("What went wrong, as the node's agent reported it.")
    @Size(max = MAX_MESSAGE)
    private String message;

    public FailingNode() {
    }

    public FailingNode(String node, String reason, String message) {
        this.node = node;
        this.reason = reason;
        this.message = message;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
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
