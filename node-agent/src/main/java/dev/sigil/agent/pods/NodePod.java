package dev.sigil.agent.pods;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod running on this node, as far as targeting reads it.
 *
 * @param qos empty until the kubelet has set {@code status.qosClass}
 */
public record NodePod(String namespace, String name, String uid, Map<String, String> labels, Optional<QosClass> qos) {
    public NodePod {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** {@code namespace/name}, as status and logs name it. */
    public String key() {
        return namespace + "/" + name;
    }
}
