package dev.sigil.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.node.Attachment;
import dev.sigil.agent.node.DeployRequest;
import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.node.RunningProgram;
import dev.sigil.agent.testing.NamespacedHost;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One program, several links, on the real kernel: an XDP program attached to each of a list of interfaces (bridges
 * in the test's own network namespace), each link pinned on its own; the list changed under the same generation
 * attaches the new targets and detaches the gone ones without loading anything again; a target that cannot attach
 * is reported for itself while the others stay; a restarted agent adopts every link, drift repair re-pins a removed
 * one, and unloading removes every pin.
 */
class MultiTargetIT {
    private final AtomicReference<List<String>> interfaces = new AtomicReference<>(List.of());

    @RegisterExtension
    final NamespacedHost net = new NamespacedHost(216, AttachKind.Xdp);

    /** xdp_count signed for interfaces matching {@code glob}; its targets are whatever {@link #interfaces} holds. */
    private DeployRequest request(String name, String glob) throws Exception {
        SignedBpfProgram resource = TestResources.xdpSignedForGlob(name, glob,
                AttachSpec.xdp(net.namespaces().agentEnd(), XdpMode.Generic));
        DeployRequest translated = SpecTranslation.deployRequest(resource);
        return new DeployRequest(translated.name(), translated.generation(), translated.signed(),
                translated.enforcement(), translated.programNames(),
                node -> Map.of("xdp_count", interfaces.get().stream()
                        .map(i -> (AttachTarget) new AttachTarget.Xdp(i, AttachTarget.Xdp.Mode.Generic)).toList()),
                translated.maps(), translated.pinnedMaps(), translated.invalid());
    }

    private ResourceReport apply(ProgramHost host, DeployRequest request) {
        return net.namespaces().inAgentNamespace(() -> host.apply(request));
    }

    private static RunningProgram program(ResourceReport report) {
        return report.programs().getFirst();
    }

    private static Map<String, Attachment> byInterface(ResourceReport report) {
        return program(report).attachments().stream().collect(java.util.stream.Collectors.toMap(
                attachment -> ((AttachTarget.Xdp) attachment.target()).interfaceName(), attachment -> attachment));
    }

    private long ifindexOfLink(int linkId) {
        try (Fd link = net.bridge().fdById(ObjectKind.LINK, linkId).orElseThrow()) {
            return net.bridge().linkInfo(link).target();
        }
    }

    @Test
    void attachesToEachTargetAndFollowsTheTargetsWithoutReloading() throws Exception {
        String a = net.namespaces().addInterface(net.namespaces().interfacePrefix("sgm") + "a");
        String b = net.namespaces().addInterface(net.namespaces().interfacePrefix("sgm") + "b");
        String c = net.namespaces().addInterface(net.namespaces().interfacePrefix("sgm") + "c");
        String name = TestBundles.uniqueName("xdp-multi");
        DeployRequest request = request(name, "sg*");
        ProgramHost host = net.fixture().programHost();

        interfaces.set(List.of(a, b));
        ResourceReport first = apply(host, request);

        assertThat(first.phase()).as(first.message().orElse("")).isEqualTo(ResourceReport.Phase.Attached);
        Map<String, Attachment> firstLinks = byInterface(first);
        assertThat(firstLinks).containsOnlyKeys(a, b);
        assertThat(firstLinks.values()).allSatisfy(attachment -> {
            assertThat(attachment.state()).isEqualTo(Attachment.State.Attached);
            assertThat(attachment.pin().orElseThrow()).exists();
        });
        assertThat(ifindexOfLink(firstLinks.get(b).linkId()))
                .isEqualTo((long) net.namespaces().inAgentNamespace(() -> net.bridge().interfaceIndex(b)));

        interfaces.set(List.of(b, c));
        ResourceReport moved = apply(host, request);

        assertThat(moved.phase()).as(moved.message().orElse("")).isEqualTo(ResourceReport.Phase.Attached);
        assertThat(program(moved).programId()).as("not loaded again").isEqualTo(program(first).programId());
        Map<String, Attachment> movedLinks = byInterface(moved);
        assertThat(movedLinks.get(b).linkId()).as("b's link untouched").isEqualTo(firstLinks.get(b).linkId());
        assertThat(movedLinks.get(c).state()).isEqualTo(Attachment.State.Attached);
        assertThat(movedLinks.get(a).state()).isEqualTo(Attachment.State.Detached);
        assertThat(movedLinks.get(a).reason()).contains(Attachment.NOT_TARGETED);
        assertThat(firstLinks.get(a).pin().orElseThrow()).as("a's pin removed").doesNotExist();
        assertThat(net.bridge().fdById(ObjectKind.LINK, firstLinks.get(a).linkId())).as("a's link gone").isEmpty();
        assertThat(moved.message()).hasValueSatisfying(message -> assertThat(message).contains("detached xdp_count from"));

        ResourceReport unchanged = apply(host, request);
        assertThat(byInterface(unchanged).get(c).linkId()).isEqualTo(movedLinks.get(c).linkId());

        net.fixture().restart();
        host = net.fixture().programHost();
        List<ResourceReport> adopted = host.adoptPinned();
        assertThat(adopted).singleElement().satisfies(report -> {
            assertThat(report.phase()).as(report.message().orElse("")).isEqualTo(ResourceReport.Phase.Attached);
            assertThat(program(report).attached()).extracting(Attachment::linkId).as("the same links, adopted")
                    .containsExactlyInAnyOrder(movedLinks.get(b).linkId(), movedLinks.get(c).linkId());
        });

        Path cPin = movedLinks.get(c).pin().orElseThrow();
        Files.delete(cPin);
        assertThat(host.repairDrift()).singleElement().satisfies(report ->
                assertThat(report.message()).hasValueSatisfying(message -> assertThat(message).contains("re-pinned")));
        assertThat(cPin).exists();

        ResourceReport unloaded = host.unload(name);
        assertThat(unloaded.phase()).isEqualTo(ResourceReport.Phase.Unloaded);
        assertThat(net.fixture().pinRoot().resolve(name)).doesNotExist();
        assertThat(net.bridge().fdById(ObjectKind.LINK, movedLinks.get(c).linkId())).isEmpty();
    }

    @Test
    void aTargetThatCannotAttachIsReportedForItselfAndTheOthersStay() throws Exception {
        String a = net.namespaces().addInterface(net.namespaces().interfacePrefix("sgm") + "a");
        String missing = net.namespaces().interfacePrefix("sgm") + "z";
        String name = TestBundles.uniqueName("xdp-multi");
        interfaces.set(List.of(a, missing));

        ResourceReport report = apply(net.fixture().programHost(), request(name, "sg*"));

        assertThat(report.phase()).as(report.message().orElse("")).isEqualTo(ResourceReport.Phase.Attached);
        Map<String, Attachment> links = byInterface(report);
        assertThat(links.get(a).state()).isEqualTo(Attachment.State.Attached);
        assertThat(links.get(missing).state()).isEqualTo(Attachment.State.Failed);
        assertThat(links.get(missing).reason()).contains("AttachFailed");
        assertThat(links.get(missing).message()).hasValueSatisfying(message -> assertThat(message).contains(missing));
        assertThat(Files.list(net.fixture().pinRoot().resolve(name)).map(path -> path.getFileName().toString())
                .filter(entry -> entry.startsWith("link_"))).singleElement().asString().contains(a);

        interfaces.set(List.of(missing));
        ResourceReport onlyMissing = apply(net.fixture().programHost(), request(name, "sg*"));
        assertThat(onlyMissing.phase()).as("a's link was dropped, and no target of the program attaches")
                .isEqualTo(ResourceReport.Phase.Failed);
        assertThat(onlyMissing.cause().map(Object::toString)).hasValueSatisfying(cause -> assertThat(cause).contains("AttachFailed"));
        assertThat(program(onlyMissing).attached()).isEmpty();
        net.fixture().programHost().unload(name);
        assertThat(net.fixture().pinRoot().resolve(name)).doesNotExist();
    }
}
