package dev.sigil.operator.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.operator.conditions.ConditionType;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class AgentPlacementTest {
    private static final Node EDGE_LINUX = node(Map.of("kubernetes.io/os", "linux", "tier", "edge"));
    private static final BiPredicate<SignedBpfProgram, Node> TARGETS = new SelectorCache()::targets;

    @Test
    void verifiedProgramForTheCurrentGenerationPlacesTheAgent() {
        assertThat(decide(EDGE_LINUX, List.of(program("edge", 2, verdict(2, "True")))))
                .isEqualTo(AgentPlacement.Decision.Label);
    }

    @Test
    void nodesNotSelectedOrNotLinuxLoseTheAgent() {
        assertThat(decide(EDGE_LINUX, List.of(program("core", 1, verdict(1, "True")))))
                .isEqualTo(AgentPlacement.Decision.Unlabel);
        Node windows = node(Map.of("kubernetes.io/os", "windows", "tier", "edge"));
        assertThat(decide(windows, List.of(program("edge", 1, verdict(1, "True")))))
                .isEqualTo(AgentPlacement.Decision.Unlabel);
        assertThat(decide(EDGE_LINUX, List.of())).isEqualTo(AgentPlacement.Decision.Unlabel);
    }

    @Test
    void rejectedProgramNeverPlacesTheAgent() {
        assertThat(decide(EDGE_LINUX, List.of(program("edge", 1, verdict(1, "False")))))
                .isEqualTo(AgentPlacement.Decision.Unlabel);
    }

    @Test
    void generationWithoutAVerdictYetNeitherAddsNorRemovesTheLabel() {
        SignedBpfProgram edited = program("edge", 2, verdict(1, "True"));
        SignedBpfProgram fresh = program("edge", 1, null);

        assertThat(decide(EDGE_LINUX, List.of(edited))).isEqualTo(AgentPlacement.Decision.Keep);
        assertThat(decide(EDGE_LINUX, List.of(fresh))).isEqualTo(AgentPlacement.Decision.Keep);
        assertThat(decide(EDGE_LINUX, List.of(fresh, program("edge", 1, verdict(1, "True")))))
                .isEqualTo(AgentPlacement.Decision.Label);
    }

    @Test
    void aNodeWhoseAgentStillHoldsAProgramKeepsItsAgentUntilItUnloads() {
        SignedBpfProgram revoked = program("edge", 1, verdict(1, "False"));

        assertThat(AgentPlacement.decide(EDGE_LINUX, List.of(revoked), reporting(ProgramPhase.Attached), TARGETS))
                .as("the agent must stay to unload the revoked program").isEqualTo(AgentPlacement.Decision.Keep);
        assertThat(AgentPlacement.decide(EDGE_LINUX, List.of(), reporting(ProgramPhase.Unloading), TARGETS))
                .isEqualTo(AgentPlacement.Decision.Keep);
        assertThat(AgentPlacement.decide(EDGE_LINUX, List.of(revoked), reporting(ProgramPhase.Failed), TARGETS))
                .as("a failed load holds nothing").isEqualTo(AgentPlacement.Decision.Unlabel);
        assertThat(AgentPlacement.decide(EDGE_LINUX, List.of(revoked), reporting(), TARGETS))
                .isEqualTo(AgentPlacement.Decision.Unlabel);
    }

    private static AgentPlacement.Decision decide(Node node, List<SignedBpfProgram> programs) {
        return AgentPlacement.decide(node, programs, false, TARGETS);
    }

    /** Whether an agent reporting entries in these phases holds programs, as the operator's reports of it tell. */
    private static boolean reporting(ProgramPhase... phases) {
        BpfNodeStateStatus status = new BpfNodeStateStatus();
        for (ProgramPhase phase : phases) {
            NodeProgramState entry = new NodeProgramState();
            entry.setName("p-edge");
            entry.setPhase(phase);
            status.getPrograms().add(entry);
        }
        status.setLastUpdateTime(Instant.now().toString());
        BpfNodeState state = new BpfNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName("n").build());
        state.setStatus(status);
        NodeReports reports = new NodeReports(new NodeStaleness(NodeStaleness.DEFAULT_HEARTBEATS), Clock.systemUTC());
        reports.put(state);
        return reports.agentHoldsPrograms("n");
    }

    private static Node node(Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName("n").withLabels(labels).endMetadata().build();
    }

    private static SignedBpfProgramStatus verdict(long generation, String verified) {
        SignedBpfProgramStatus status = new SignedBpfProgramStatus();
        status.setObservedGeneration(generation);
        status.setConditions(List.of(new ConditionBuilder().withType(ConditionType.Verified.name())
                .withStatus(verified).withReason("x").withObservedGeneration(generation).build()));
        return status;
    }

    private static SignedBpfProgram program(String tier, long generation, SignedBpfProgramStatus status) {
        SignedBpfProgram program = new SignedBpfProgram();
        program.setMetadata(new ObjectMetaBuilder().withName("p-" + tier).withGeneration(generation).build());
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels("tier", tier).build());
        program.setSpec(spec);
        program.setStatus(status);
        return program;
    }
}
