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
import dev.sigil.operator.nodes.AgentPlacement.Support;
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

    @Test
    void supportFollowsTheVerdictOnTheCurrentGeneration() {
        assertThat(AgentPlacement.support(program("edge", 2, verdict(2, "True")))).isEqualTo(Support.Places);
        assertThat(AgentPlacement.support(program("edge", 2, verdict(1, "True")))).isEqualTo(Support.Holds);
        assertThat(AgentPlacement.support(program("edge", 1, null))).isEqualTo(Support.Holds);
        assertThat(AgentPlacement.support(program("edge", 1, verdict(1, "False")))).isEqualTo(Support.None);
    }

    /**
     * The agent-label controller re-decides only the nodes {@link AgentPlacement#canMove} names when a program
     * changes: for every state of the other programs and of the agent, a change it leaves out must not alter
     * what a node that was settled needs.
     */
    @Test
    void aProgramChangeThatCanMoveNoDecisionIsOnlyOneThatMovesNone() {
        int skipped = 0;
        for (boolean labelled : new boolean[] {false, true}) {
            for (boolean agentHolds : new boolean[] {false, true}) {
                for (Support other : Support.values()) {
                    for (Support before : Support.values()) {
                        for (Support after : Support.values()) {
                            boolean settledBefore = !needsPatch(labelled, decide(other, before, agentHolds));
                            boolean needsPatchAfter = needsPatch(labelled, decide(other, after, agentHolds));
                            if (!AgentPlacement.canMove(labelled, before, after)) {
                                skipped++;
                                assertThat(settledBefore && needsPatchAfter)
                                        .as("labelled=%s agentHolds=%s other=%s %s -> %s", labelled, agentHolds,
                                                other, before, after)
                                        .isFalse();
                            }
                        }
                    }
                }
            }
        }
        assertThat(skipped).as("changes left out").isGreaterThan(50);
        assertThat(AgentPlacement.canMove(true, Support.Places, Support.Holds))
                .as("a new generation awaiting its verdict concerns no labelled node").isFalse();
        assertThat(AgentPlacement.canMove(true, Support.Holds, Support.Places)).isFalse();
        assertThat(AgentPlacement.canMove(false, Support.Holds, Support.Places)).isTrue();
        assertThat(AgentPlacement.canMove(true, Support.Places, Support.None)).isTrue();
    }

    /**
     * Whether some node of a kind can move, decided without matching selectors, agrees with {@link
     * AgentPlacement#canMove} over every node the selectors could have matched: never false when one of them can
     * move, never true when none can.
     */
    @Test
    void whetherSomeNodeCanMoveAgreesWithEveryNodeTheSelectorsCouldMatch() {
        int none = 0;
        for (boolean labelled : new boolean[] {false, true}) {
            for (boolean sameSelector : new boolean[] {false, true}) {
                for (Support before : Support.values()) {
                    for (Support after : Support.values()) {
                        boolean some = false;
                        for (boolean matchedBefore : new boolean[] {false, true}) {
                            for (boolean matchedAfter : new boolean[] {false, true}) {
                                if (sameSelector && matchedBefore != matchedAfter) {
                                    continue;
                                }
                                some |= AgentPlacement.canMove(labelled, matchedBefore ? before : Support.None,
                                        matchedAfter ? after : Support.None);
                            }
                        }
                        none += some ? 0 : 1;
                        assertThat(AgentPlacement.canMoveSome(labelled, before, after, sameSelector))
                                .as("labelled=%s sameSelector=%s %s -> %s", labelled, sameSelector, before, after)
                                .isEqualTo(some);
                    }
                }
            }
        }
        assertThat(none).as("changes that need no node looked at").isGreaterThan(10);
        assertThat(AgentPlacement.canMoveSome(true, Support.None, Support.Holds, false))
                .as("a new program awaiting its verdict concerns no labelled node").isFalse();
        assertThat(AgentPlacement.canMoveSome(true, Support.Holds, Support.Places, true))
                .as("its verdict concerns no labelled node").isFalse();
        assertThat(AgentPlacement.canMoveSome(false, Support.Holds, Support.Places, true)).isTrue();
    }

    private static boolean needsPatch(boolean labelled, AgentPlacement.Decision decision) {
        return labelled ? decision == AgentPlacement.Decision.Unlabel : decision == AgentPlacement.Decision.Label;
    }

    private static AgentPlacement.Decision decide(Support other, Support changed, boolean agentHolds) {
        return AgentPlacement.decide(EDGE_LINUX, List.of(supporting("other", other), supporting("changed", changed)),
                agentHolds, TARGETS);
    }

    private static SignedBpfProgram supporting(String name, Support support) {
        SignedBpfProgram program = switch (support) {
            case Places -> program("edge", 2, verdict(2, "True"));
            case Holds -> program("edge", 2, verdict(1, "True"));
            case None -> program("edge", 1, verdict(1, "False"));
        };
        program.getMetadata().setName(name);
        return program;
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
