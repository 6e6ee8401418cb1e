package dev.sigil.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeStalenessTest {
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final NodeStaleness DEFAULT = new NodeStaleness(NodeStaleness.DEFAULT_HEARTBEATS);

    @Test
    void aReportIsFreshUpToThreeMissedHeartbeatsByDefault() {
        assertThat(DEFAULT.isStale(reportedAt("2030-01-01T11:57:00Z"), NOW)).isFalse();
        assertThat(DEFAULT.isStale(reportedAt("2030-01-01T11:56:59Z"), NOW)).isTrue();
        assertThat(new NodeStaleness(1).isStale(reportedAt("2030-01-01T11:58:59Z"), NOW)).isTrue();
    }

    @Test
    void aDeadlineWorkedOutOnArrivalGivesTheSameAnswerLater() {
        BpfNodeState state = reportedAt("2030-01-01T11:57:00Z");
        Optional<Instant> deadline = DEFAULT.staleAfter(NodeStaleness.lastReport(state), NodeStaleness.heartbeat(state));

        assertThat(deadline).contains(NOW);
        assertThat(NodeStaleness.isPast(deadline, NOW)).isFalse();
        assertThat(NodeStaleness.isPast(deadline, NOW.plusSeconds(1))).isTrue();
        assertThat(NodeStaleness.isPast(Optional.empty(), NOW)).as("an undated report").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2030-01-01 11:59:00"})
    void anUnreadableReportTimeIsStale(String time) {
        BpfNodeState state = reportedAt(time);

        assertThat(NodeStaleness.lastReport(state)).isEmpty();
        assertThat(DEFAULT.isStale(state, NOW)).isTrue();
    }

    @Test
    void eachAgentIsJudgedByTheHeartbeatItReports() {
        BpfNodeState quick = reportedAt("2030-01-01T11:59:20Z");
        quick.getStatus().setHeartbeatIntervalSeconds(10);
        BpfNodeState slow = reportedAt("2030-01-01T11:00:00Z");
        slow.getStatus().setHeartbeatIntervalSeconds(3600);

        assertThat(NodeStaleness.heartbeat(quick)).hasSeconds(10);
        assertThat(DEFAULT.isStale(quick, NOW)).isTrue();
        assertThat(DEFAULT.isStale(slow, NOW)).isFalse();
        assertThat(NodeStaleness.heartbeat(reportedAt("2030-01-01T11:59:00Z"))).isEqualTo(NodeStaleness.AGENT_HEARTBEAT);
    }

    @Test
    void aNodeStateWithoutStatusHasNeverReported() {
        assertThat(DEFAULT.isStale(new BpfNodeState(), NOW)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, NodeStaleness.MAX_HEARTBEATS + 1})
    void refusesAMultipleOutOfRange(int heartbeats) {
        assertThatThrownBy(() -> new NodeStaleness(heartbeats)).hasMessageContaining("between 1 and 1000");
    }

    private static BpfNodeState reportedAt(String time) {
        BpfNodeState state = new BpfNodeState();
        state.setStatus(new BpfNodeStateStatus());
        state.getStatus().setLastUpdateTime(time);
        return state;
    }
}
