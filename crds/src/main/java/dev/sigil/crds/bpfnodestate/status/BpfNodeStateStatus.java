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
    /**
     * Pod attachments listed (failures first); the rest only counted, in {@link #podsOmitted} and each program's
     * attachedPods. A node-wide bound, not one per program: the largest status still fits one etcd request.
     */
    public static final int MAX_PODS = 8;

    @JsonPropertyDescription("What the agent's kernel probe found at start.")
    private KernelCapabilities kernel;

    @JsonPropertyDescription("Number of entries in programs, for printer columns.")
    @Min(0)
    private Integer programCount;

    @JsonPropertyDescription("One entry per SignedBpfProgram this node handles.")
    @Size(max = MAX_PROGRAMS)
    private List<NodeProgramState> programs = new ArrayList<>();

    @JsonPropertyDescription("Pods that programs with pod targets attach to on this node, failures first, at most "
            + MAX_PODS + "; the rest are counted in podsOmitted.")
    @Size(max = MAX_PODS)
    private List<PodAttachment> pods;

    @JsonPropertyDescription("Pod attachments beyond those listed in pods.")
    @Min(0)
    private Integer podsOmitted;

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

    public List<PodAttachment> getPods() {
        return pods;
    }

    public void setPods(List<PodAttachment> pods) {
        this.pods = pods;
    }

    public Integer getPodsOmitted() {
        return podsOmitted;
    }

    public void setPodsOmitted(Integer podsOmitted) {
        this.podsOmitted = podsOmitted;
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
