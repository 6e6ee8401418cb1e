package dev.sigil.crds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeStalenessTest {
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    @Test
    void aReportIsFreshUpToThreeMissedHeartbeatsByDefault() {
        assertThat(NodeStaleness.DEFAULT_THRESHOLD).isEqualTo(Duration.ofMinutes(3));
        assertThat(NodeStaleness.isStale(reportedAt("2030-01-01T11:57:00Z"), NOW, NodeStaleness.DEFAULT_THRESHOLD)).isFalse();
        assertThat(NodeStaleness.isStale(reportedAt("2030-01-01T11:56:59Z"), NOW, NodeStaleness.DEFAULT_THRESHOLD)).isTrue();
        assertThat(NodeStaleness.isStale(reportedAt("2030-01-01T11:59:00Z"), NOW, Duration.ofSeconds(30))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2030-01-01 11:59:00"})
    void anUnreadableReportTimeIsStale(String time) {
        BpfNodeState state = reportedAt(time);

        assertThat(NodeStaleness.lastReport(state)).isEmpty();
        assertThat(NodeStaleness.isStale(state, NOW, NodeStaleness.DEFAULT_THRESHOLD)).isTrue();
    }

    @Test
    void aNodeStateWithoutStatusHasNeverReported() {
        assertThat(NodeStaleness.isStale(new BpfNodeState(), NOW, NodeStaleness.DEFAULT_THRESHOLD)).isTrue();
    }

    private static BpfNodeState reportedAt(String time) {
        BpfNodeState state = new BpfNodeState();
        state.setStatus(new BpfNodeStateStatus());
        state.getStatus().setLastUpdateTime(time);
        return state;
    }
}
