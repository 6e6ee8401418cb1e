package dev.sigil.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.testing.HostStatus;
import dev.sigil.agent.testing.NamespacedHost;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.AttachmentState;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramAttachment;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An XDP program signed for an interface pattern, on the real kernel: veth pairs in a network namespace of the test's
 * own (its agent runs on a thread inside it), named with a prefix of the test's own. The program lands on every veth
 * the pattern matches and on none other, follows one created after the apply, reports one removed (detached, its
 * interface gone) instead of failing, keeps its links over an agent restart, and has a removed link pin put back.
 */
class InterfacePatternIT {

    @RegisterExtension
    final NamespacedHost net = new NamespacedHost(217, AttachKind.Xdp);

    private NodeProgramState apply(HostStatus host, SignedBpfProgram resource) {
        return net.namespaces().inAgentNamespace(() -> host.apply(resource));
    }

    private static Map<String, ProgramAttachment> byInterface(LoadedProgram program) {
        return program.getAttachments().stream().collect(Collectors.toMap(
                attachment -> attachment.getTarget().replaceAll("^Xdp\\((.*), Generic\\)$", "$1"), attachment -> attachment));
    }

    @Test
    void landsOnEveryMatchingVethFollowsNewOnesAndReportsRemovedOnes() throws Exception {
        String prefix = net.namespaces().interfacePrefix("sgv");
        String a = net.namespaces().addVeth(prefix + "a", net.namespaces().interfacePrefix("sgw") + "a");
        String b = net.namespaces().addVeth(prefix + "b", net.namespaces().interfacePrefix("sgw") + "b");
        String name = TestBundles.uniqueName("xdp-pattern");
        SignedBpfProgram resource = TestResources.xdpForPattern(name, prefix + "*", prefix + "*");

        NodeProgramState first = apply(net.fixture().host(), resource);

        assertThat(first.getPhase()).as(first.getMessage()).isEqualTo(ProgramPhase.Attached);
        LoadedProgram program = first.getPrograms().getFirst();
        assertThat(program.getAttachedCount()).isEqualTo(2);
        assertThat(byInterface(program)).as("the matching veths, not their peers or the namespace's own")
                .containsOnlyKeys(a, b);

        String c = net.namespaces().addVeth(prefix + "c", net.namespaces().interfacePrefix("sgw") + "c");
        NodeProgramState followed = apply(net.fixture().host(), resource);
        assertThat(followed.getPrograms().getFirst().getProgramId()).as("not loaded again").isEqualTo(program.getProgramId());
        Map<String, ProgramAttachment> three = byInterface(followed.getPrograms().getFirst());
        assertThat(three).containsOnlyKeys(a, b, c);
        assertThat(three.get(a).getLinkId()).isEqualTo(byInterface(program).get(a).getLinkId());
        assertThat(three.values()).extracting(ProgramAttachment::getState).containsOnly(AttachmentState.Attached);

        net.namespaces().removeInterface(b);
        NodeProgramState repaired = net.namespaces().inAgentNamespace(() -> net.fixture().host().repairDrift()).stream()
                .filter(state -> state.getName().equals(name)).findFirst().orElseThrow();
        assertThat(repaired.getPhase()).as(repaired.getMessage()).isEqualTo(ProgramPhase.Attached);
        ProgramAttachment gone = byInterface(repaired.getPrograms().getFirst()).get(b);
        assertThat(gone.getState()).isEqualTo(AttachmentState.Detached);
        assertThat(gone.getReason()).isEqualTo("InterfaceGone");
        assertThat(linkPins(name)).hasSize(2);
        NodeProgramState reapplied = apply(net.fixture().host(), resource);
        assertThat(reapplied.getPhase()).as("no error loop: b is simply not a target any more").isEqualTo(ProgramPhase.Attached);
        assertThat(reapplied.getPrograms().getFirst().getAttachedCount()).isEqualTo(2);

        HostStatus restarted = net.fixture().restart();
        List<NodeProgramState> adopted = restarted.adoptPinned();
        assertThat(adopted).singleElement().satisfies(state -> {
            assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
            assertThat(byInterface(state.getPrograms().getFirst())).as("the same links").hasEntrySatisfying(a,
                    attachment -> assertThat(attachment.getLinkId()).isEqualTo(three.get(a).getLinkId()))
                    .hasEntrySatisfying(c, attachment -> assertThat(attachment.getLinkId()).isEqualTo(three.get(c).getLinkId()));
        });

        Path aPin = linkPins(name).stream().filter(pin -> pin.getFileName().toString().contains(a)).findFirst().orElseThrow();
        Files.delete(aPin);
        assertThat(net.namespaces().inAgentNamespace(restarted::repairDrift)).singleElement()
                .satisfies(state -> assertThat(state.getMessage()).contains("re-pinned"));
        assertThat(aPin).exists();

        assertThat(restarted.unload(name).getPhase()).isEqualTo(ProgramPhase.Unloading);
        assertThat(net.fixture().pinRoot().resolve(name)).doesNotExist();
    }

    @Test
    void aPatternWiderThanTheSignedOneIsRefusedWithNothingCreated() throws Exception {
        String prefix = net.namespaces().interfacePrefix("sgv");
        net.namespaces().addVeth(prefix + "a", net.namespaces().interfacePrefix("sgw") + "a");
        String name = TestBundles.uniqueName("xdp-pattern");

        NodeProgramState state = apply(net.fixture().host(), TestResources.xdpForPattern(name, prefix + "a*", prefix + "*"));

        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getReason()).isEqualTo("IntentMismatch");
        assertThat(state.getMessage()).isEqualTo("spec.programs[0].attach.xdp.interfacePattern is '" + prefix
                + "*', wider than the signed intent's pattern '" + prefix + "a*': a pattern must be the signed one or a"
                + " name it admits");
        assertThat(net.bridge().created()).as("kernel objects created").isEmpty();
        assertThat(net.fixture().pinRoot().resolve(name)).doesNotExist();
    }

    private List<Path> linkPins(String name) throws Exception {
        try (var entries = Files.list(net.fixture().pinRoot().resolve(name))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("link_")).toList();
        }
    }
}
