package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The node's kernel capabilities and every SignedBpfProgram its agent handles. */
public class BpfNodeStateStatus {
    @JsonPropertyDescription("What the agent's kernel probe found at start.")
    private KernelCapabilities kernel;

    @JsonPropertyDescription("Number of entries in programs, for printer columns.")
    private Integer programCount;

    @JsonPropertyDescription("One entry per SignedBpfProgram this node handles.")
    private List<NodeProgramState> programs = new ArrayList<>();

    @JsonPropertyDescription("When the agent last wrote this status (RFC 3339).")
    private String lastUpdateTime;

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
}
