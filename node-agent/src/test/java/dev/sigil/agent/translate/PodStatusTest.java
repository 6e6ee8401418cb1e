package dev.sigil.agent.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.node.Attachment;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.node.RunningProgram;
import dev.sigil.agent.pods.NodePod;
import dev.sigil.agent.pods.QosClass;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.CgroupAttach;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.PodAttachment;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pods of a node's status: counted per pod-targeted resource, listed node-wide with failures first and a cap. */
class PodStatusTest {
    private static Path cgroup(int i) {
        return Path.of("/sys/fs/cgroup/kubepods/burstable/pod" + i);
    }

    private static NodePod pod(int i) {
        return new NodePod("shop", "web-" + i, "uid-" + i, Map.of(), Optional.of(QosClass.Burstable));
    }

    private static Attachment attached(int i) {
        return new Attachment(new AttachTarget.Cgroup(cgroup(i), CgroupAttach.InetIngress), Attachment.State.Attached, 100 + i,
                Optional.of(Path.of("/pin/" + i)), Optional.empty(), Optional.empty());
    }

    private static ResourceReport report(String name, List<Attachment> attachments) {
        return new ResourceReport(name, OptionalLong.of(1), Optional.empty(), ResourceReport.Phase.Attached, Instant.EPOCH,
                Optional.empty(), List.of(new RunningProgram("cgroup_count", 7, "tag", attachments)), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static BpfNodeStateStatus status(String... names) {
        BpfNodeStateStatus status = new BpfNodeStateStatus();
        List<NodeProgramState> entries = new ArrayList<>();
        for (String name : names) {
            NodeProgramState entry = new NodeProgramState();
            entry.setName(name);
            entries.add(entry);
        }
        status.setPrograms(entries);
        return status;
    }

    @Test
    void countsAttachedPodsPerResourceAndListsFailuresFirstUpToTheCap() {
        Map<Path, NodePod> pods = new HashMap<>();
        IntStream.range(0, 12).forEach(i -> pods.put(cgroup(i), pod(i)));
        List<Attachment> attachments = new ArrayList<>(IntStream.range(0, 10).mapToObj(PodStatusTest::attached).toList());
        attachments.add(new Attachment(new AttachTarget.Cgroup(cgroup(10), CgroupAttach.InetIngress), Attachment.State.Failed, 0,
                Optional.empty(), Optional.of("AttachFailed"), Optional.of("EBUSY")));
        attachments.add(new Attachment(new AttachTarget.Cgroup(cgroup(11), CgroupAttach.InetIngress), Attachment.State.Detached, 0,
                Optional.empty(), Optional.of(Attachment.NOT_TARGETED), Optional.empty()));
        attachments.add(new Attachment(new AttachTarget.Cgroup(Path.of("/sys/fs/cgroup/other"), CgroupAttach.InetIngress),
                Attachment.State.Attached, 99, Optional.empty(), Optional.empty(), Optional.empty()));
        BpfNodeStateStatus status = status("pods", "plain");

        PodStatus.fill(status, List.of(report("pods", attachments), report("plain", List.of(attached(0)))), Set.of("pods"), pods);

        assertThat(status.getPrograms()).extracting(NodeProgramState::getAttachedPods).containsExactly(10, null);
        assertThat(status.getPods()).hasSize(BpfNodeStateStatus.MAX_PODS);
        assertThat(status.getPods().getFirst().getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(status.getPods().getFirst().getReason()).isEqualTo("AttachFailed");
        assertThat(status.getPods().get(1).getLinkId()).isEqualTo(100L);
        assertThat(status.getPods()).extracting(PodAttachment::getPod).doesNotContain("web-11");
        assertThat(status.getPodsOmitted()).as("11 listed or omitted: 10 attached, 1 failed").isEqualTo(11 - BpfNodeStateStatus.MAX_PODS);
    }

    @Test
    void aPodTargetedResourceWithoutPodsCountsZeroAndListsNothing() {
        BpfNodeStateStatus status = status("pods");
        PodStatus.fill(status, List.of(report("pods", List.of())), Set.of("pods"), Map.of());
        assertThat(status.getPrograms().getFirst().getAttachedPods()).isZero();
        assertThat(status.getPods()).isNull();
        assertThat(status.getPodsOmitted()).isNull();
    }
}
