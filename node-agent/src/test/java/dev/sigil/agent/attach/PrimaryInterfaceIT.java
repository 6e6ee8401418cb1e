package dev.sigil.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.testing.NamespacedHost;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Xdp;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "The node's primary interface" on the real kernel: the agent runs on a thread inside the test's own network
 * namespace, whose default route (when the test adds one) goes out through a veth to a peer namespace. The
 * resource asks for the primary interface; the signed intent's interface constraint decides whether the
 * interface the node resolves may get the program. Both namespaces and the veth go after each test.
 */
class PrimaryInterfaceIT {
    @RegisterExtension
    final NamespacedHost net = new NamespacedHost(215, AttachKind.Xdp);

    private String agentEnd() {
        return net.namespaces().agentEnd();
    }

    /** xdp_count signed for interfaces matching {@code interfaceGlob}, the resource asking for the primary interface. */
    private static SignedBpfProgram signedForGlobOnPrimary(String name, String interfaceGlob) throws Exception {
        return TestResources.xdpSignedForGlob(name, interfaceGlob, AttachSpec.xdp(Xdp.onPrimaryInterface(XdpMode.Generic)));
    }

    private NodeProgramState applyInAgentNamespace(SignedBpfProgram resource) {
        return net.namespaces().inAgentNamespace(() -> net.fixture().host().apply(resource));
    }

    @Test
    void anXdpProgramForThePrimaryInterfaceLandsOnTheInterfaceHoldingTheDefaultRouteAndCounts() throws Exception {
        net.namespaces().routeDefaultThroughTheVeth();
        assertThat(net.namespaces().inAgentNamespace(net.bridge()::defaultRouteInterface)).contains(agentEnd());
        assertThat(net.bridge().defaultRouteInterface()).as("the root namespace's own primary interface").isNotEqualTo(
                java.util.Optional.of(agentEnd()));
        String name = TestBundles.uniqueName("xdp-primary");

        NodeProgramState state = applyInAgentNamespace(signedForGlobOnPrimary(name, "sga*"));

        assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThat(state.getPrograms().getFirst().getAttachedTo()).contains(agentEnd());
        int agentEndIndex = net.namespaces().inAgentNamespace(() -> net.bridge().interfaceIndex(agentEnd()));
        try (Fd link = net.bridge().fdById(ObjectKind.LINK, state.getPrograms().getFirst().getLinkId().intValue()).orElseThrow()) {
            assertThat(net.bridge().linkInfo(link).target()).as("the link's ifindex").isEqualTo(agentEndIndex);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            net.namespaces().pingTheAgentFromThePeer();
            return net.fixture().host().readMapValue(name, "hits", 0).orElseThrow() > 0;
        });
    }

    @Test
    void aPrimaryInterfaceTheSignedIntentDoesNotAdmitGetsNothing() throws Exception {
        net.namespaces().routeDefaultThroughTheVeth();
        String name = TestBundles.uniqueName("xdp-primary");

        NodeProgramState state = applyInAgentNamespace(signedForGlobOnPrimary(name, "eth*"));

        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getReason()).isEqualTo("IntentMismatch");
        assertThat(state.getMessage()).isEqualTo("spec.programs[0].attach.xdp.interface resolved to '" + agentEnd()
                + "' on this node, but the signed intent binds pattern 'eth*'");
        assertThat(net.bridge().created()).as("kernel objects created").isEmpty();
        assertThat(net.fixture().pinRoot().resolve(name)).doesNotExist();
    }

    @Test
    void withoutADefaultRouteTheNodeHasNoPrimaryInterfaceAndSaysSo() throws Exception {
        assertThat(net.namespaces().inAgentNamespace(net.bridge()::defaultRouteInterface)).isEmpty();
        String name = TestBundles.uniqueName("xdp-primary");

        NodeProgramState state = applyInAgentNamespace(signedForGlobOnPrimary(name, "*"));

        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getReason()).isEqualTo("AttachFailed");
        assertThat(state.getMessage()).contains("no default route in the agent's network namespace");
        assertThat(net.bridge().created()).as("kernel objects created").isEmpty();
        assertThat(net.fixture().pinRoot().resolve(name)).doesNotExist();
    }
}
