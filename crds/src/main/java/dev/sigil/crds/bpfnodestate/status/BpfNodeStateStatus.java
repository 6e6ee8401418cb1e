package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.schema.SchemaMergePatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's kernel capabilities and every SignedBpfProgram its agent handles. Entries are keyed by
 * resource name (a list map), so one name appears at most once.
 */
@SchemaCustomizer(value = SchemaMergePatch.class, input = """
        {"properties": {"programs": {"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]}}}
        """)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BpfNodeStateStatus {
    /**
     * More SignedBpfPrograms than one node runs. With every entry failed at the longest name, reason, message
     * and verifier-log tail the schema admits, this many still fit one etcd request (1.5 MiB); entries for
     * loaded programs are as long as the programs' names, attach points and pin paths make them.
     */
    public static final int MAX_PROGRAMS = 1000;
    public static final int MAX_HEARTBEAT_INTERVAL_SECONDS = 86_400;

    @JsonPropertyDescription("What the agent's kernel probe found at start.")
    private KernelCapabilities kernel;

    @JsonPropertyDescription("Number of entries in programs, for printer columns.")
    @Min(0)
    private Integer programCount;

    @JsonPropertyDescription("One entry per SignedBpfProgram this node handles.")
    @Size(max = MAX_PROGRAMS)
    private List<NodeProgramState> programs = new ArrayList<>();

    @JsonPropertyDescription("When the agent last wrote this status (RFC 3339).")
    @Size(max = 64)
    private String lastUpdateTime;

    @JsonPropertyDescription("How often the agent rewrites this status even when nothing changed, in seconds (60 when"
            + " absent). The operator counts the node stale, its programs' state unknown, when the agent has not written"
            + " for a configurable number of these intervals.")
    @Min(1)
    @Max(MAX_HEARTBEAT_INTERVAL_SECONDS)
    private Integer heartbeatIntervalSeconds;

    @JsonPropertyDescription("Sigil version of the agent that wrote this status.")
    @Size(max = 64)
    private String agentVersion;

    public KernelCapabilities getKernel() {
        return kernel;
    }

    public void setKernel(KernelCapabilities kernel) {
        this.kernel = kernel;
    }

    public Integer getProgramCount() {
        return programCount;
    }

    public void setProgramCount(Integer programCount) {
        this.programCount = programCount;
    }

    public List<NodeProgramState> getPrograms() {
        return programs;
    }

    public void setPrograms(List<NodeProgramState> programs) {
        this.programs = programs;
    }

    public String getLastUpdateTime() {
        return lastUpdateTime;
    }

    public void setLastUpdateTime(String lastUpdateTime) {
        this.lastUpdateTime = lastUpdateTime;
    }

    public Integer getHeartbeatIntervalSeconds() {
        return heartbeatIntervalSeconds;
    }

    public void setHeartbeatIntervalSeconds(Integer heartbeatIntervalSeconds) {
        this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
    }

    public String getAgentVersion() {
        return agentVersion;
    }

    public void setAgentVersion(String agentVersion) {
        this.agentVersion = agentVersion;
    }
}
