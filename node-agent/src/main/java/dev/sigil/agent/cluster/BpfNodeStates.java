package dev.sigil.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.crds.SigilVersion;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Builds this node's {@link BpfNodeState} and its status from what the host reports. Pure. */
final class BpfNodeStates {
    private static final KubernetesSerialization SERIALIZATION = AgentClient.serialization();

    private BpfNodeStates() {
    }

    /**
     * The object as first created: named after the node and owned by it, so the API server
     * garbage-collects it with the Node. No status: the agent writes that through the subresource.
     */
    static BpfNodeState newNodeState(HasMetadata node) {
        BpfNodeState state = new BpfNodeState();
        state.setMetadata(new ObjectMetaBuilder()
                .withName(node.getMetadata().getName())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Node")
                        .withName(node.getMetadata().getName())
                        .withUid(node.getMetadata().getUid())
                        .build())
                .build());
        return state;
    }

    /**
     * Programs sorted by name, so an unchanged node produces an unchanged status.
     *
     * @param heartbeat how often the agent rewrites an unchanged status; the operator judges staleness by it
     */
    static BpfNodeStateStatus status(KernelCapabilities kernel, Collection<NodeProgramState> programs, Instant now,
            Duration heartbeat) {
        BpfNodeStateStatus status = new BpfNodeStateStatus();
        status.setKernel(kernel);
        List<NodeProgramState> sorted = programs.stream()
                .sorted(Comparator.comparing(NodeProgramState::getName))
                .toList();
        status.setPrograms(sorted);
        status.setProgramCount(sorted.size());
        status.setLastUpdateTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
        status.setHeartbeatIntervalSeconds((int) Math.max(1, heartbeat.toSeconds()));
        status.setAgentVersion(SigilVersion.current());
        return status;
    }

    /** Equal apart from {@code lastUpdateTime}: nothing worth a write. */
    static boolean sameReport(BpfNodeStateStatus first, BpfNodeStateStatus second) {
        return withoutUpdateTime(first).equals(withoutUpdateTime(second));
    }

    /**
     * A JSON merge patch of the whole status, carrying the resourceVersion it was computed against so
     * the API server refuses it (409) when the object changed meanwhile. Lists are replaced whole.
     */
    static String statusMergePatch(BpfNodeStateStatus status, String resourceVersion) {
        ObjectNode patch = SERIALIZATION.convertValue(Map.of(), ObjectNode.class);
        patch.putObject("metadata").put("resourceVersion", resourceVersion);
        patch.set("status", SERIALIZATION.convertValue(status, JsonNode.class));
        return SERIALIZATION.asJson(patch);
    }

    private static JsonNode withoutUpdateTime(BpfNodeStateStatus status) {
        if (status == null) {
            return SERIALIZATION.convertValue(Map.of(), ObjectNode.class);
        }
        ObjectNode tree = SERIALIZATION.convertValue(status, ObjectNode.class);
        tree.remove("lastUpdateTime");
        return tree;
    }
}
