package dev.sigil.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.testing.AgentNamespaces;
import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.HostStatus;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.RecordingBridge;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An XDP program signed for an interface pattern, on the real kernel: veth pairs in a network namespace of the test's
 * own (its agent runs on a thread inside it), named with a prefix of the test's own. The program lands on every veth
 * the pattern matches and on none other, follows one created after the apply, reports one removed (detached, its
 * interface gone) instead of failing, keeps its links over an agent restart, and has a removed link pin put back.
 */
class InterfacePatternIT {
    private RecordingBridge bridge;
    private HostFixture fixture;
    private AgentNamespaces namespaces;

    @BeforeEach
    void createNamespace() {
        KernelFeatures kernel = KernelAssumptions.requireLoaderHashV1();
        KernelAssumptions.require("XDP attach", kernel.attach(AttachKind.Xdp));
        bridge = new RecordingBridge();
        fixture = new HostFixture(kernel, bridge, TestBundles.trust());
        namespaces = new AgentNamespaces(bridge, 217);
    }

    @AfterEach
    void removeEverything() throws Exception {
        try {
            HostFixture.closeIfStarted(fixture);
        } finally {
            if (namespaces != null) {
                namespaces.close();
            }
        }
    }

    private NodeProgramState apply(HostStatus host, SignedBpfProgram resource) {
        return namespaces.inAgentNamespace(() -> host.apply(resource));
    }

    private static Map<String, ProgramAttachment> byInterface(LoadedProgram program) {
        return program.getAttachments().stream().collect(Collectors.toMap(
                attachment -> attachment.getTarget().replaceAll("^Xdp\\((.*), Generic\\)$", "$1"), attachment -> attachment));
    }

    @Test
    void landsOnEveryMatchingVethFollowsNewOnesAndReportsRemovedOnes() throws Exception {
        String prefix = namespaces.interfacePrefix("sgv");
        String a = namespaces.addVeth(prefix + "a", namespaces.interfacePrefix("sgw") + "a");
        String b = namespaces.addVeth(prefix + "b", namespaces.interfacePrefix("sgw") + "b");
        String name = TestBundles.uniqueName("xdp-pattern");
        SignedBpfProgram resource = TestResources.xdpForPattern(name, prefix + "*", prefix + "*");

        NodeProgramState first = apply(fixture.host(), resource);

        assertThat(first.getPhase()).as(first.getMessage()).isEqualTo(ProgramPhase.Attached);
        LoadedProgram program = first.getPrograms().getFirst();
        assertThat(program.getAttachedCount()).isEqualTo(2);
        assertThat(byInterface(program)).as("the matching veths, not their peers or the namespace's own")
                .containsOnlyKeys(a, b);

        String c = namespaces.addVeth(prefix + "c", namespaces.interfacePrefix("sgw") + "c");
        NodeProgramState followed = apply(fixture.host(), resource);
        assertThat(followed.getPrograms().getFirst().getProgramId()).as("not loaded again").isEqualTo(program.getProgramId());
        Map<String, ProgramAttachment> three = byInterface(followed.getPrograms().getFirst());
        assertThat(three).containsOnlyKeys(a, b, c);
        assertThat(three.get(a).getLinkId()).isEqualTo(byInterface(program).get(a).getLinkId());
        assertThat(three.values()).extracting(ProgramAttachment::getState).containsOnly(AttachmentState.Attached);

        namespaces.removeInterface(b);
        NodeProgramState repaired = namespaces.inAgentNamespace(() -> fixture.host().repairDrift()).stream()
                .filter(state -> state.getName().equals(name)).findFirst().orElseThrow();
        assertThat(repaired.getPhase()).as(repaired.getMessage()).isEqualTo(ProgramPhase.Attached);
        ProgramAttachment gone = byInterface(repaired.getPrograms().getFirst()).get(b);
        assertThat(gone.getState()).isEqualTo(AttachmentState.Detached);
        assertThat(gone.getReason()).isEqualTo("InterfaceGone");
        assertThat(linkPins(name)).hasSize(2);
        NodeProgramState reapplied = apply(fixture.host(), resource);
        assertThat(reapplied.getPhase()).as("no error loop: b is simply not a target any more").isEqualTo(ProgramPhase.Attached);
        assertThat(reapplied.getPrograms().getFirst().getAttachedCount()).isEqualTo(2);

        HostStatus restarted = fixture.restart();
        List<NodeProgramState> adopted = restarted.adoptPinned();
        assertThat(adopted).singleElement().satisfies(state -> {
            assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
            assertThat(byInterface(state.getPrograms().getFirst())).as("the same links").hasEntrySatisfying(a,
                    attachment -> assertThat(attachment.getLinkId()).isEqualTo(three.get(a).getLinkId()))
                    .hasEntrySatisfying(c, attachment -> assertThat(attachment.getLinkId()).isEqualTo(three.get(c).getLinkId()));
        });

        Path aPin = linkPins(name).stream().filter(pin -> pin.getFileName().toString().contains(a)).findFirst().orElseThrow();
        Files.delete(aPin);
        assertThat(namespaces.inAgentNamespace(restarted::repairDrift)).singleElement()
                .satisfies(state -> assertThat(state.getMessage()).contains("re-pinned"));
        assertThat(aPin).exists();

        assertThat(restarted.unload(name).getPhase()).isEqualTo(ProgramPhase.Unloading);
        assertThat(fixture.pinRoot().resolve(name)).doesNotExist();
    }

    @Test
    void aPatternWiderThanTheSignedOneIsRefusedWithNothingCreated() throws Exception {
        String prefix = namespaces.interfacePrefix("sgv");
        namespaces.addVeth(prefix + "a", namespaces.interfacePrefix("sgw") + "a");
        String name = TestBundles.uniqueName("xdp-pattern");

        NodeProgramState state = apply(fixture.host(), TestResources.xdpForPattern(name, prefix + "a*", prefix + "*"));

        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getReason()).isEqualTo("IntentMismatch");
        assertThat(state.getMessage()).isEqualTo("spec.programs[0].attach.xdp.interfacePattern is '" + prefix
                + "*', wider than the signed intent's pattern '" + prefix + "a*': a pattern must be the signed one or a"
                + " name it admits");
        assertThat(bridge.created()).as("kernel objects created").isEmpty();
        assertThat(fixture.pinRoot().resolve(name)).doesNotExist();
    }

    private List<Path> linkPins(String name) throws Exception {
        try (var entries = Files.list(fixture.pinRoot().resolve(name))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("link_")).toList();
        }
    }
}
