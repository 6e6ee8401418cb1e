package dev.sigil.agent.testing;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** What a node's agent has reported in its BpfNodeState, read fresh from the API server. */
public final class ReportedStates {
    private final KubernetesClient client;
    private final String node;

    public ReportedStates(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    /** The node's status; empty until the agent has written one. */
    public BpfNodeStateStatus status() {
        BpfNodeState state = client.resources(BpfNodeState.class).withName(node).get();
        return state == null || state.getStatus() == null ? new BpfNodeStateStatus() : state.getStatus();
    }

    /** The node's entry for one resource, if it reports one. */
    public Optional<NodeProgramState> entry(String resource) {
        return status().getPrograms().stream().filter(entry -> entry.getName().equals(resource)).findFirst();
    }
}
