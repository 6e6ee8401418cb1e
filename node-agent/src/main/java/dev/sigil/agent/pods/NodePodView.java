package dev.sigil.agent.pods;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The node's pods as an agent that watches them sees them now, for pod targets. */
@FunctionalInterface
public interface NodePodView {
    /** The pods the selection selects now, each with its cgroup; a failure when the kubelet's tree cannot be read. */
    List<PodCgroup> select(PodSelection selection) throws BpfFailure;

    /** The view of watched pods and namespace labels, their cgroups found by the kubelet's conventions. */
    static NodePodView of(Supplier<List<NodePod>> pods, Supplier<Map<String, Map<String, String>>> namespaceLabels,
            KubeletCgroups cgroups) {
        return selection -> {
            try {
                return selection.select(pods.get(), namespaceLabels.get(), cgroups);
            } catch (IllegalStateException noKubeletTree) {
                throw new BpfFailure(FailureReason.AttachFailed, noKubeletTree.getMessage());
            }
        };
    }
}
