package dev.sigil.crds.signedbpfprogram.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** A targeted node whose agent has stopped reporting: what it runs is unknown. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StaleNode {
    @JsonPropertyDescription("Node name.")
    @Size(max = 253)
    private String node;

    @JsonPropertyDescription("When the node's agent last wrote its BpfNodeState (RFC 3339), as it said then.")
    @Size(max = 64)
    private String lastReportTime;

    public StaleNode() {
    }

    public StaleNode(String node, String lastReportTime) {
        this.node = node;
        this.lastReportTime = lastReportTime;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public String getLastReportTime() {
        return lastReportTime;
    }

    public void setLastReportTime(String lastReportTime) {
        this.lastReportTime = lastReportTime;
    }
}
