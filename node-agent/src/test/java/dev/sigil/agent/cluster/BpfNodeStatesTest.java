package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BpfNodeStatesTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00.123Z");
    private static final Duration HEARTBEAT = Duration.ofSeconds(90);

    @Test
    void newNodeStateIsNamedAfterItsNodeAndOwnedByIt() {
        Node node = new NodeBuilder().withNewMetadata().withName("node-a").withUid("uid-1").endMetadata().build();

        BpfNodeState state = BpfNodeStates.newNodeState(node);

        assertThat(state.getMetadata().getName()).isEqualTo("node-a");
        assertThat(state.getMetadata().getNamespace()).isNull();
        assertThat(state.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getApiVersion()).isEqualTo("v1");
            assertThat(owner.getKind()).isEqualTo("Node");
            assertThat(owner.getName()).isEqualTo("node-a");
            assertThat(owner.getUid()).isEqualTo("uid-1");
        });
        assertThat(state.getStatus()).isNull();
    }

    @Test
    void statusListsProgramsByNameWithCountKernelAndTime() {
        KernelCapabilities kernel = new KernelCapabilities();
        kernel.setRelease("6.18.0");

        BpfNodeStateStatus status = BpfNodeStates.status(kernel,
                List.of(state("zeta", ProgramPhase.Attached), state("alpha", ProgramPhase.Failed)), NOW, HEARTBEAT);

        assertThat(status.getPrograms()).extracting(NodeProgramState::getName).containsExactly("alpha", "zeta");
        assertThat(status.getProgramCount()).isEqualTo(2);
        assertThat(status.getKernel().getRelease()).isEqualTo("6.18.0");
        assertThat(status.getLastUpdateTime()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(status.getHeartbeatIntervalSeconds()).as("the operator judges staleness by it").isEqualTo(90);
        assertThat(status.getAgentVersion()).as("the build's version (Surefire passes it)")
                .isEqualTo(System.getProperty("sigil.version")).isNotBlank();
    }

    @Test
    void reportsThatDifferOnlyInUpdateTimeAreTheSame() {
        BpfNodeStateStatus first = BpfNodeStates.status(new KernelCapabilities(), List.of(state("a", ProgramPhase.Attached)), NOW,
                HEARTBEAT);
        BpfNodeStateStatus later = BpfNodeStates.status(new KernelCapabilities(), List.of(state("a", ProgramPhase.Attached)),
                NOW.plusSeconds(60), HEARTBEAT);
        BpfNodeStateStatus changed = BpfNodeStates.status(new KernelCapabilities(), List.of(state("a", ProgramPhase.Failed)), NOW,
                HEARTBEAT);

        assertThat(BpfNodeStates.sameReport(first, later)).isTrue();
        assertThat(BpfNodeStates.sameReport(first, changed)).isFalse();
        assertThat(BpfNodeStates.sameReport(null, first)).isFalse();
    }

    @Test
    void statusPatchCarriesTheResourceVersionItWasComputedAgainst() {
        BpfNodeStateStatus status = BpfNodeStates.status(new KernelCapabilities(), List.of(state("a", ProgramPhase.Attached)), NOW,
                HEARTBEAT);

        JsonNode patch = new KubernetesSerialization().unmarshal(BpfNodeStates.statusMergePatch(status, "42"), JsonNode.class);

        assertThat(patch.fieldNames()).toIterable().containsExactlyInAnyOrder("metadata", "status");
        assertThat(patch.get("metadata").toString()).isEqualTo("{\"resourceVersion\":\"42\"}");
        assertThat(patch.at("/status/programCount").asInt()).isEqualTo(1);
        assertThat(patch.at("/status/programs/0/name").asText()).isEqualTo("a");
    }

    private static NodeProgramState state(String name, ProgramPhase phase) {
        NodeProgramState state = new NodeProgramState();
        state.setName(name);
        state.setGeneration(1L);
        state.setPhase(phase);
        return state;
    }
}
