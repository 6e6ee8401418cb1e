package dev.sigil.operator.nodes;

import dev.sigil.crds.SigilApi;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.Objects;

/** Facts about Node objects the operator relies on. */
public final class Nodes {
    public static final String AGENT_LABEL_VALUE = "true";

    private Nodes() {
    }

    public static boolean hasAgentLabel(Node node) {
        return AGENT_LABEL_VALUE.equals(labels(node).get(SigilApi.AGENT_NODE_LABEL));
    }

    public static Map<String, String> labels(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    /** Only label changes matter to Sigil; a node's heartbeat updates do not. */
    public static boolean labelsChanged(Node current, Node previous) {
        return !Objects.equals(labels(current), labels(previous));
    }
}
