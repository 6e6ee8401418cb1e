package dev.sigil.operator.nodes;

import dev.sigil.crds.BoundedText;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.signedbpfprogram.status.FailingNode;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.List;

/**
 * An informer store that keeps of each BpfNodeState only what the operator reads: its name and, per program,
 * generation, phase and failure (the message cut to what a program's status shows), with the report's time and
 * heartbeat. Loaded-program details, verifier logs and kernel capabilities stay out, so thousands of nodes that
 * each run dozens of programs cost little memory in every controller that watches them.
 */
public final class SlimNodeStateStore extends TransformingItemStore<BpfNodeState> {
    public SlimNodeStateStore() {
        super(SlimNodeStateStore::slim);
    }

    static BpfNodeState slim(BpfNodeState state) {
        BpfNodeState slim = new BpfNodeState();
        slim.setMetadata(MetadataOnlyNodeStore.identity(state.getMetadata()).build());
        BpfNodeStateStatus status = state.getStatus();
        if (status != null) {
            BpfNodeStateStatus kept = new BpfNodeStateStatus();
            kept.setLastUpdateTime(status.getLastUpdateTime());
            kept.setHeartbeatIntervalSeconds(status.getHeartbeatIntervalSeconds());
            kept.setProgramCount(status.getProgramCount());
            kept.setPrograms(status.getPrograms().stream().map(SlimNodeStateStore::slim).toList());
            slim.setStatus(kept);
        }
        return slim;
    }

    private static NodeProgramState slim(NodeProgramState entry) {
        NodeProgramState slim = new NodeProgramState();
        slim.setName(entry.getName());
        slim.setGeneration(entry.getGeneration());
        slim.setPhase(entry.getPhase());
        slim.setReason(entry.getReason());
        slim.setMessage(BoundedText.cut(entry.getMessage(), FailingNode.MAX_MESSAGE));
        slim.setPrograms(List.of());
        return slim;
    }
}
