package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.schema.SchemaMergePatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
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
    /** Far more SignedBpfPrograms than one node runs; keeps the object well under etcd's limit at ~1 KiB an entry. */
    public static final int MAX_PROGRAMS = 256;

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

    public String getAgentVersion() {
        return agentVersion;
    }

    public void setAgentVersion(String agentVersion) {
        this.agentVersion = agentVersion;
    }
}
