package dev.sigil.agent.pods;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The agent's reading of Pod and Namespace objects for pod targets. They arrive untyped: binding them to Fabric8's
 * Pod model would load about 450 classes and their Jackson deserializers for the five fields read here.
 */
public final class NodePods {
    /** A pod in one of these phases has no processes left; the kubelet removes its cgroup. */
    private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");
    private static final List<String> QOS_CLASS = List.of("status", "qosClass");
    private static final List<String> PHASE = List.of("status", "phase");
    private static final List<String> NODE_NAME = List.of("spec", "nodeName");
    /** The fields read here besides a pod's name, namespace, UID and labels: a pod cache need keep no others. */
    public static final List<List<String>> POD_FIELDS_READ = List.of(QOS_CLASS, PHASE, NODE_NAME);

    private NodePods() {
    }

    /** The pods bound to the node and not finished. */
    public static List<NodePod> onNode(Collection<GenericKubernetesResource> pods, String nodeName) {
        return pods.stream()
                .filter(pod -> nodeName.equals(nodeName(pod)))
                .filter(pod -> !finished(pod))
                .map(NodePods::of)
                .toList();
    }

    static NodePod of(GenericKubernetesResource pod) {
        return new NodePod(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(),
                pod.getMetadata().getLabels(), QosClass.of(qosClass(pod)));
    }

    /** Whether a pod's change leaves what targeting reads as it was: labels, UID, QoS class, phase, node. */
    public static boolean sameTargeting(GenericKubernetesResource before, GenericKubernetesResource after) {
        return Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                && Objects.equals(before.getMetadata().getUid(), after.getMetadata().getUid())
                && Objects.equals(qosClass(before), qosClass(after))
                && Objects.equals(phase(before), phase(after))
                && Objects.equals(nodeName(before), nodeName(after));
    }

    /** The pods by the cgroup the kubelet gives them; none when the kubelet's tree cannot be told. */
    public static Map<java.nio.file.Path, NodePod> byCgroup(Collection<NodePod> pods, KubeletCgroups cgroups) {
        Map<java.nio.file.Path, NodePod> byCgroup = new HashMap<>();
        try {
            for (NodePod pod : pods) {
                if (pod.qos().isPresent() && pod.uid() != null) {
                    byCgroup.put(cgroups.podCgroup(pod.uid(), pod.qos().get()), pod);
                }
            }
        } catch (IllegalStateException | IllegalArgumentException unknownTreeOrUid) {
            return byCgroup;
        }
        return byCgroup;
    }

    public static Map<String, Map<String, String>> namespaceLabels(Collection<GenericKubernetesResource> namespaces) {
        Map<String, Map<String, String>> labels = new HashMap<>();
        namespaces.forEach(namespace -> labels.put(namespace.getMetadata().getName(),
                namespace.getMetadata().getLabels() == null ? Map.of() : namespace.getMetadata().getLabels()));
        return labels;
    }

    private static String qosClass(GenericKubernetesResource pod) {
        return text(pod, QOS_CLASS);
    }

    private static boolean finished(GenericKubernetesResource pod) {
        String phase = phase(pod);
        return phase != null && FINISHED.contains(phase);
    }

    private static String phase(GenericKubernetesResource pod) {
        return text(pod, PHASE);
    }

    private static String nodeName(GenericKubernetesResource pod) {
        return text(pod, NODE_NAME);
    }

    /** The string at {@code path}; null when it or an object on the way is missing, or it is not a string. */
    private static String text(GenericKubernetesResource resource, List<String> path) {
        Object value = resource.get(path.toArray());
        return value instanceof String text ? text : null;
    }
}
