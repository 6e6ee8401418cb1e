package dev.sigil.operator.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.status.FailingNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlimNodeStateStoreTest {
    @Test
    void keepsWhatTheOperatorReadsAndDropsTheRest() {
        NodeProgramState entry = new NodeProgramState();
        entry.setName("counter");
        entry.setGeneration(3L);
        entry.setLoaderHash("sha256:" + "ab".repeat(32));
        entry.setPhase(ProgramPhase.Failed);
        entry.setEnforcement(AppliedEnforcement.Agent);
        entry.setReason("LoaderRejected");
        entry.setMessage("x".repeat(FailingNode.MAX_MESSAGE + 100));
        entry.setVerifierLogTail("R0 !read_ok");
        entry.setPrograms(List.of(new LoadedProgram()));
        BpfNodeStateStatus status = new BpfNodeStateStatus();
        status.setKernel(new KernelCapabilities());
        status.setPrograms(List.of(entry));
        status.setProgramCount(1);
        status.setLastUpdateTime("2026-03-01T10:00:00Z");
        status.setHeartbeatIntervalSeconds(30);
        BpfNodeState state = new BpfNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName("node-a").withUid("uid-a").withResourceVersion("42")
                .addToLabels("team", "x").build());
        state.setStatus(status);

        BpfNodeState slim = SlimNodeStateStore.slim(state);

        assertThat(slim.getMetadata().getName()).isEqualTo("node-a");
        assertThat(slim.getMetadata().getUid()).isEqualTo("uid-a");
        assertThat(slim.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(slim.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(slim.getStatus().getKernel()).isNull();
        assertThat(slim.getStatus().getLastUpdateTime()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(slim.getStatus().getHeartbeatIntervalSeconds()).isEqualTo(30);
        NodeProgramState kept = slim.getStatus().getPrograms().getFirst();
        assertThat(kept.getName()).isEqualTo("counter");
        assertThat(kept.getGeneration()).isEqualTo(3);
        assertThat(kept.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(kept.getReason()).isEqualTo("LoaderRejected");
        assertThat(kept.getMessage()).as("as much as a program's status shows").hasSize(FailingNode.MAX_MESSAGE);
        assertThat(kept.getPrograms()).isEmpty();
        assertThat(kept.getVerifierLogTail()).isNull();
        assertThat(kept.getLoaderHash()).isNull();
        state.setStatus(null);
        assertThat(SlimNodeStateStore.slim(state).getStatus()).as("no status, none kept").isNull();
    }
}
