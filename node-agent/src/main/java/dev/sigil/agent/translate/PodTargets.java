package dev.sigil.agent.translate;

import dev.sigil.agent.node.DeployRequest.NodeFacts;
import dev.sigil.agent.pods.NodePodView;
import dev.sigil.agent.pods.PodCgroup;
import dev.sigil.agent.pods.PodSelection;
import dev.sigil.api.LabelMatcher.InvalidLabelSelectorException;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.CgroupAttach;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.Cgroup;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/** Which programs of a resource attach to the cgroups of the node's pods, and what that asks of the agent. */
public final class PodTargets {
    /** Why {@code sigil agent run} refuses a pod target, after the field that names it. */
    public static final String NEEDS_A_CLUSTER = "a pod target needs a cluster: 'sigil agent cluster' watches the node's "
            + "pods and finds their cgroups; 'sigil agent run' attaches to cgroup paths only";

    private PodTargets() {
    }

    /** The node's facts with its pods as {@code pods} sees them. */
    static NodeFacts seeing(NodeFacts node, NodePodView pods) {
        return new NodeFacts() {
            @Override
            public String primaryInterface() throws BpfFailure {
                return node.primaryInterface();
            }

            @Override
            public List<String> interfaces() {
                return node.interfaces();
            }

            @Override
            public List<PodCgroup> podCgroups(PodSelection selection) throws BpfFailure {
                return pods.select(selection);
            }
        };
    }

    /** One target per selected pod's cgroup, in namespace and name order; none while no pod matches. */
    static List<AttachTarget> cgroups(String program, Cgroup cgroup, CgroupAttach hook, NodeFacts node) throws BpfFailure {
        PodSelection selection;
        try {
            selection = PodSelection.of(cgroup.getPods(), "program " + program + " pods");
        } catch (InvalidLabelSelectorException e) {
            throw new BpfFailure(FailureReason.AttachFailed, e.getMessage());
        }
        return node.podCgroups(selection).stream().map(pod -> (AttachTarget) new AttachTarget.Cgroup(pod.cgroup(), hook))
                .toList();
    }

    /** The resource's pod target of a program, if it attaches to pods. */
    public static Optional<PodTarget> of(AttachSpec attach) {
        return Optional.ofNullable(attach).map(AttachSpec::getCgroup).map(cgroup -> cgroup.getPods());
    }

    /** Whether any program of the resource attaches to pods. */
    public static boolean uses(SignedBpfProgram resource) {
        return programs(resource).stream().anyMatch(program -> of(program.getAttach()).isPresent());
    }

    /** Whether a program of the resource selects pods by their namespace's labels. */
    public static boolean readsNamespaces(SignedBpfProgram resource) {
        return programs(resource).stream().map(program -> of(program.getAttach()))
                .anyMatch(pods -> pods.isPresent() && pods.get().getNamespaceSelector() != null);
    }

    /** The field of the first pod target, e.g. {@code spec.programs[2].attach.cgroup.pods}, for refusals. */
    public static Optional<String> firstField(SignedBpfProgram resource) {
        List<ProgramSpec> programs = programs(resource);
        return IntStream.range(0, programs.size()).filter(i -> of(programs.get(i).getAttach()).isPresent())
                .mapToObj(i -> "spec.programs[" + i + "].attach.cgroup.pods").findFirst();
    }

    private static List<ProgramSpec> programs(SignedBpfProgram resource) {
        return resource.getSpec() == null || resource.getSpec().getPrograms() == null ? List.of()
                : resource.getSpec().getPrograms().stream().filter(Objects::nonNull).toList();
    }
}
