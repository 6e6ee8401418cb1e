package dev.sigil.operator.nodes;

import static dev.sigil.operator.NodeAgentFake.entry;
import static dev.sigil.operator.NodeAgentFake.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.operator.TestClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeReportsTest {
    private final TestClock clock = new TestClock();
    private final NodeReports reports = new NodeReports(new NodeStaleness(3), clock);

    @Test
    void aHeartbeatThatMovesOnlyTheUpdateTimeConcernsNoProgram() {
        reports.put(state("node-a", entry("p", 1, ProgramPhase.Attached), entry("q", 1, ProgramPhase.Attached)));
        clock.advance(Duration.ofSeconds(60));

        NodeReports.Change heartbeat = reports.put(state("node-a", entry("p", 1, ProgramPhase.Attached),
                entry("q", 1, ProgramPhase.Attached)));

        assertThat(heartbeat.programs()).isEmpty();
        assertThat(heartbeat.freshAgain()).isFalse();
    }

    @Test
    void aNodesNewReportConcernsOnlyTheProgramsWhoseEntriesChanged() {
        assertThat(reports.put(state("node-a", entry("p", 1, ProgramPhase.Attached), entry("q", 1, ProgramPhase.Attached),
                entry("r", 1, ProgramPhase.Attached))).programs()).containsExactlyInAnyOrder("p", "q", "r");

        NodeReports.Change change = reports.put(state("node-a", entry("p", 1, ProgramPhase.Attached),
                failed("q", 1, "AttachFailed", "EBUSY"), entry("s", 1, ProgramPhase.Loaded)));

        assertThat(change.programs()).as("q failed, r went, s came; p is as it was").containsExactlyInAnyOrder("q", "r", "s");
        assertThat(reports.reportsFor("q")).containsEntry("node-a", new ProgramReport(1L, ProgramPhase.Failed,
                "AttachFailed", "EBUSY"));
        assertThat(reports.reportsFor("r")).isEmpty();
        assertThat(reports.programsOn("node-a")).containsExactlyInAnyOrder("p", "q", "s");
    }

    @Test
    void aChangedPodCountConcernsThatProgramAlone() {
        NodeProgramState twoPods = entry("p", 1, ProgramPhase.Attached);
        twoPods.setAttachedPods(2);
        reports.put(state("node-a", twoPods, entry("q", 1, ProgramPhase.Attached)));
        NodeProgramState threePods = entry("p", 1, ProgramPhase.Attached);
        threePods.setAttachedPods(3);

        NodeReports.Change change = reports.put(state("node-a", threePods, entry("q", 1, ProgramPhase.Attached)));

        assertThat(change.programs()).as("a pod started on the node").containsExactly("p");
        assertThat(reports.reportsFor("p").get("node-a").attachedPods()).isEqualTo(3);
    }

    @Test
    void aProgramsReportsComeFromEveryNodeThatReportsIt() {
        reports.put(state("node-a", entry("p", 1, ProgramPhase.Attached)));
        reports.put(state("node-b", entry("p", 2, ProgramPhase.Attached), entry("q", 1, ProgramPhase.Attached)));
        reports.put(state("node-c", entry("q", 1, ProgramPhase.Attached)));

        assertThat(reports.reportsFor("p")).containsOnlyKeys("node-a", "node-b");
        assertThat(reports.reportsFor("p").get("node-b").generation()).isEqualTo(2);
        assertThat(reports.nodesReporting(ProgramPhase.Attached)).isEqualTo(3);
    }

    @Test
    void aGoneNodeStateConcernsEveryProgramItReported() {
        reports.put(state("node-a", entry("p", 1, ProgramPhase.Attached), entry("q", 1, ProgramPhase.Failed)));

        assertThat(reports.remove("node-a").programs()).containsExactlyInAnyOrder("p", "q");
        assertThat(reports.reportsFor("p")).isEmpty();
        assertThat(reports.put(withoutStatus("node-b")).programs()).as("a state without status reports nothing").isEmpty();
    }

    @Test
    void listenersHearWhenANodesAgentStartsOrStopsHoldingPrograms() {
        List<String> told = new ArrayList<>();
        reports.onHoldingChange(told::add);

        reports.put(state("node-a", failed("p", 1, "AttachFailed", "EBUSY")));
        assertThat(reports.agentHoldsPrograms("node-a")).as("a failed load holds nothing").isFalse();
        reports.put(state("node-a", entry("p", 1, ProgramPhase.Attached)));
        reports.put(state("node-a", entry("p", 1, ProgramPhase.Attached), entry("q", 1, ProgramPhase.Loaded)));
        reports.put(state("node-a", entry("p", 1, ProgramPhase.Unloading)));
        assertThat(reports.agentHoldsPrograms("node-a")).isTrue();
        reports.remove("node-a");

        assertThat(told).as("holding started, then the state went").containsExactly("node-a", "node-a");
        assertThat(reports.agentHoldsPrograms("node-a")).isFalse();
    }

    @Test
    void aNodeGoesStaleAfterTheConfiguredNumberOfItsHeartbeatsAndIsAnnouncedOnce() {
        BpfNodeState report = state("node-a", entry("p", 1, ProgramPhase.Attached));
        Instant written = Instant.parse(report.getStatus().getLastUpdateTime());
        reports.put(report);

        clock.advance(Duration.ofSeconds(179));
        assertThat(reports.staleFlips()).isEmpty();
        assertThat(reports.staleNodes()).isZero();

        clock.advance(Duration.ofSeconds(2));
        assertThat(reports.staleFlips()).containsExactly("node-a");
        assertThat(reports.staleFlips()).as("announced once").isEmpty();
        assertThat(reports.staleNodes()).isEqualTo(1);
        assertThat(reports.staleAmong(List.of("node-a", "node-b"), clock.instant()))
                .containsExactly(java.util.Map.entry("node-a", Optional.of(written)));
    }

    @Test
    void aStaleNodeThatReportsAgainIsFreshAgainAnnouncedOrNot() {
        reports.put(state("node-a", entry("p", 1, ProgramPhase.Attached)));
        reports.put(state("node-b", entry("p", 1, ProgramPhase.Attached)));
        clock.advance(Duration.ofMinutes(4));
        assertThat(reports.staleFlips()).containsExactlyInAnyOrder("node-a", "node-b");

        NodeReports.Change announced = reports.put(state("node-a", entry("p", 1, ProgramPhase.Attached)));
        assertThat(announced.freshAgain()).isTrue();
        assertThat(announced.programs()).isEmpty();

        reports.put(state("node-c", entry("q", 1, ProgramPhase.Attached)));
        clock.advance(Duration.ofMinutes(4));
        NodeReports.Change notYetAnnounced = reports.put(state("node-c", entry("q", 1, ProgramPhase.Attached)));
        assertThat(notYetAnnounced.freshAgain()).as("a reconcile may have shown it stale before any scan").isTrue();
        assertThat(reports.staleFlips()).as("node-a went stale again; node-b still is").containsExactly("node-a");
    }

    @Test
    void eachNodeIsJudgedByItsOwnHeartbeatAndAnUndatableReportIsStale() {
        BpfNodeState quick = state("quick", entry("p", 1, ProgramPhase.Attached));
        quick.getStatus().setHeartbeatIntervalSeconds(10);
        reports.put(quick);
        reports.put(state("default", entry("p", 1, ProgramPhase.Attached)));
        BpfNodeState undated = state("undated", entry("p", 1, ProgramPhase.Attached));
        undated.getStatus().setLastUpdateTime("yesterday");
        reports.put(undated);

        clock.advance(Duration.ofSeconds(31));

        assertThat(reports.staleAmong(List.of("quick", "default", "undated"), clock.instant()))
                .containsOnlyKeys("quick", "undated")
                .containsEntry("undated", Optional.empty());
    }

    private BpfNodeState state(String node, NodeProgramState... entries) {
        BpfNodeState state = withoutStatus(node);
        BpfNodeStateStatus status = new BpfNodeStateStatus();
        status.setPrograms(new ArrayList<>(List.of(entries)));
        status.setLastUpdateTime(clock.instant().toString());
        state.setStatus(status);
        return state;
    }

    private static BpfNodeState withoutStatus(String node) {
        BpfNodeState state = new BpfNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName(node).build());
        return state;
    }
}
