package dev.sigil.agent.translate;

import dev.sigil.agent.node.Attachment;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.node.RunningProgram;
import dev.sigil.agent.pods.NodePod;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.crds.BoundedText;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.PodAttachment;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pods in a node's status: for each resource with pod targets, how many pods its programs are attached to
 * ({@code attachedPods} of its entry), and node-wide the pod attachments themselves, failures first, at most
 * {@link BpfNodeStateStatus#MAX_PODS} listed and the rest counted. A cgroup target is a pod's when it is the cgroup of
 * a pod the agent sees on the node. Pure.
 */
public final class PodStatus {
    private PodStatus() {
    }

    /**
     * @param podTargeted  the resources with pod targets
     * @param podsByCgroup the node's pods by their cgroup directory
     */
    public static void fill(BpfNodeStateStatus status, Collection<ResourceReport> reports, Set<String> podTargeted,
            Map<Path, NodePod> podsByCgroup) {
        Map<String, Integer> attachedPods = new HashMap<>();
        List<PodAttachment> attachments = new ArrayList<>();
        for (ResourceReport report : reports) {
            if (!podTargeted.contains(report.name())) {
                continue;
            }
            attachedPods.put(report.name(), 0);
            for (RunningProgram program : report.programs()) {
                for (Attachment attachment : program.attachments()) {
                    NodePod pod = attachment.target() instanceof AttachTarget.Cgroup cgroup
                            ? podsByCgroup.get(cgroup.path()) : null;
                    if (pod == null || attachment.state() == Attachment.State.Detached) {
                        continue;
                    }
                    attachments.add(entry(report.name(), program.name(), pod, attachment));
                    if (attachment.state() == Attachment.State.Attached) {
                        attachedPods.merge(report.name(), 1, Integer::sum);
                    }
                }
            }
        }
        for (NodeProgramState entry : status.getPrograms()) {
            entry.setAttachedPods(attachedPods.containsKey(entry.getName())
                    ? Math.min(NodeProgramState.MAX_ATTACHED_PODS, attachedPods.get(entry.getName())) : null);
        }
        if (attachments.isEmpty()) {
            status.setPods(null);
            status.setPodsOmitted(null);
            return;
        }
        attachments.sort(Comparator.comparing((PodAttachment pod) -> pod.getPhase() != ProgramPhase.Failed)
                .thenComparing(PodAttachment::getResource).thenComparing(PodAttachment::getProgram)
                .thenComparing(PodAttachment::getNamespace).thenComparing(PodAttachment::getPod));
        status.setPods(List.copyOf(attachments.subList(0, Math.min(BpfNodeStateStatus.MAX_PODS, attachments.size()))));
        status.setPodsOmitted(Math.max(0, attachments.size() - BpfNodeStateStatus.MAX_PODS));
    }

    private static PodAttachment entry(String resource, String program, NodePod pod, Attachment attachment) {
        PodAttachment entry = new PodAttachment(resource, program, pod.namespace(), pod.name(), pod.uid(),
                BoundedText.cut(((AttachTarget.Cgroup) attachment.target()).path().toString(), PodAttachment.MAX_CGROUP));
        if (attachment.state() == Attachment.State.Attached) {
            entry.setPhase(ProgramPhase.Attached);
            entry.setLinkId((long) attachment.linkId());
        } else {
            entry.setPhase(ProgramPhase.Failed);
            entry.setReason(BoundedText.cut(attachment.reason().orElse("AttachFailed"), PodAttachment.MAX_REASON));
        }
        return entry;
    }
}
