package dev.sigil.operator;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a node's BpfNodeState the way the agent does (create once, owned by the Node, then status
 * patches), so operator tests can play any node's report. Reports are dated by the given clock (the
 * operator's, in tests that move it), every report being the agent's heartbeat too.
 */
public final class NodeAgentFake {
    private final KubernetesClient client;
    private final String node;
    private final Clock clock;

    public NodeAgentFake(KubernetesClient client, String node) {
        this(client, node, Clock.systemUTC());
    }

    public NodeAgentFake(KubernetesClient client, String node, Clock clock) {
        this.client = client;
        this.node = node;
        this.clock = clock;
    }

    public String node() {
        return node;
    }

    public static NodeProgramState entry(String program, long generation, ProgramPhase phase) {
        NodeProgramState state = new NodeProgramState();
        state.setName(program);
        state.setGeneration(generation);
        state.setPhase(phase);
        state.setEnforcement(AppliedEnforcement.Agent);
        state.setLastTransitionTime(Instant.now().toString());
        return state;
    }

    public static NodeProgramState failed(String program, long generation, String reason, String message) {
        NodeProgramState state = entry(program, generation, ProgramPhase.Failed);
        state.setReason(reason);
        state.setMessage(message);
        return state;
    }

    /** Replaces the node's whole report with these entries. */
    public void report(NodeProgramState... entries) {
        var states = client.resources(BpfNodeState.class);
        if (states.withName(node).get() == null) {
            Node owner = client.nodes().withName(node).get();
            BpfNodeState state = new BpfNodeState();
            state.setMetadata(new ObjectMetaBuilder()
                    .withName(node)
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion("v1").withKind("Node")
                            .withName(node).withUid(owner.getMetadata().getUid())
                            .build())
                    .build());
            states.resource(state).create();
        }
        states.withName(node).editStatus(state -> {
            BpfNodeStateStatus status = new BpfNodeStateStatus();
            status.setPrograms(new ArrayList<>(List.of(entries)));
            status.setProgramCount(entries.length);
            status.setLastUpdateTime(clock.instant().toString());
            state.setStatus(status);
            return state;
        });
    }
}
