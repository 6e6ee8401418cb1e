package dev.sigil.agent.pods;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The agent's reading of Pod and Namespace objects for pod targets. */
public final class NodePods {
    /** A pod in one of these phases has no processes left; the kubelet removes its cgroup. */
    private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

    private NodePods() {
    }

    /** The pods bound to the node and not finished. */
    public static List<NodePod> onNode(Collection<Pod> pods, String nodeName) {
        return pods.stream()
                .filter(pod -> pod.getSpec() != null && nodeName.equals(pod.getSpec().getNodeName()))
                .filter(pod -> pod.getStatus() == null || !FINISHED.contains(pod.getStatus().getPhase()))
                .map(NodePods::of)
                .toList();
    }

    static NodePod of(Pod pod) {
        return new NodePod(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(),
                pod.getMetadata().getLabels(),
                pod.getStatus() == null ? java.util.Optional.empty() : QosClass.of(pod.getStatus().getQosClass()));
    }

    /** Whether a pod's change leaves what targeting reads as it was: labels, UID, QoS class, phase, node. */
    public static boolean sameTargeting(Pod before, Pod after) {
        return Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                && Objects.equals(before.getMetadata().getUid(), after.getMetadata().getUid())
                && Objects.equals(qosClass(before), qosClass(after))
                && Objects.equals(phase(before), phase(after))
                && Objects.equals(before.getSpec() == null ? null : before.getSpec().getNodeName(),
                        after.getSpec() == null ? null : after.getSpec().getNodeName());
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

    public static Map<String, Map<String, String>> namespaceLabels(Collection<Namespace> namespaces) {
        Map<String, Map<String, String>> labels = new HashMap<>();
        namespaces.forEach(namespace -> labels.put(namespace.getMetadata().getName(),
                namespace.getMetadata().getLabels() == null ? Map.of() : namespace.getMetadata().getLabels()));
        return labels;
    }

    private static String qosClass(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getQosClass();
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }
}
