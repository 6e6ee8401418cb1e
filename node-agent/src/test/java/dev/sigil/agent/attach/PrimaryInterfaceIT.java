package dev.sigil.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.testing.AgentNamespaces;
import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.api.SpecIntents;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.RecordingBridge;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.Xdp;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.crds.signedbpfprogram.spec.intent.TargetConstraint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "The node's primary interface" on the real kernel: the agent runs on a thread inside the test's own network
 * namespace, whose default route (when the test adds one) goes out through a veth to a peer namespace. The
 * resource asks for the primary interface; the signed intent's interface constraint decides whether the
 * interface the node resolves may get the program. Both namespaces and the veth go after each test.
 */
class PrimaryInterfaceIT {
    private RecordingBridge bridge;
    private HostFixture fixture;
    private AgentNamespaces namespaces;
    private String agentEnd;

    @BeforeEach
    void createNamespacesJoinedByAVeth() {
        KernelFeatures kernel = KernelAssumptions.requireLoaderHashV1();
        KernelAssumptions.require("XDP attach", kernel.attach(AttachKind.Xdp));
        bridge = new RecordingBridge();
        fixture = new HostFixture(kernel, bridge, TestBundles.trust());
        namespaces = new AgentNamespaces(bridge, 215);
        agentEnd = namespaces.agentEnd();
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

    /** xdp_count signed for interfaces matching {@code interfaceGlob}, the resource asking for the primary interface. */
    private SignedBpfProgram signedForGlobOnPrimary(String name, String interfaceGlob) throws Exception {
        SignedBpfProgram resource = TestResources.resource(name, 1,
                TestBundles.sign(TestBundles.skeleton("bpf/xdp_count.lskel.h"), TestBundles.key()),
                List.of(new ProgramSpec("xdp_count", AttachSpec.xdp(agentEnd, XdpMode.Generic))),
                List.of(new MapSpec("hits")), Enforcement.Auto);
        resource.getSpec().getIntent().getPrograms().getFirst().getAttach().getXdp()
                .setInterfaceName(TargetConstraint.glob(interfaceGlob));
        SpecIntents.sign(resource.getSpec(), TestBundles.key());
        resource.getSpec().getPrograms().getFirst().setAttach(AttachSpec.xdp(Xdp.onPrimaryInterface(XdpMode.Generic)));
        return resource;
    }

    private NodeProgramState applyInAgentNamespace(SignedBpfProgram resource) {
        return namespaces.inAgentNamespace(() -> fixture.host().apply(resource));
    }

    @Test
    void anXdpProgramForThePrimaryInterfaceLandsOnTheInterfaceHoldingTheDefaultRouteAndCounts() throws Exception {
        namespaces.routeDefaultThroughTheVeth();
        assertThat(namespaces.inAgentNamespace(bridge::defaultRouteInterface)).contains(agentEnd);
        assertThat(bridge.defaultRouteInterface()).as("the root namespace's own primary interface").isNotEqualTo(
                java.util.Optional.of(agentEnd));
        String name = TestBundles.uniqueName("xdp-primary");

        NodeProgramState state = applyInAgentNamespace(signedForGlobOnPrimary(name, "sga*"));

        assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThat(state.getPrograms().getFirst().getAttachedTo()).contains(agentEnd);
        int agentEndIndex = namespaces.inAgentNamespace(() -> bridge.interfaceIndex(agentEnd));
        try (Fd link = bridge.fdById(ObjectKind.LINK, state.getPrograms().getFirst().getLinkId().intValue()).orElseThrow()) {
            assertThat(bridge.linkInfo(link).target()).as("the link's ifindex").isEqualTo(agentEndIndex);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            namespaces.pingTheAgentFromThePeer();
            return fixture.host().readMapValue(name, "hits", 0).orElseThrow() > 0;
        });
    }

    @Test
    void aPrimaryInterfaceTheSignedIntentDoesNotAdmitGetsNothing() throws Exception {
        namespaces.routeDefaultThroughTheVeth();
        String name = TestBundles.uniqueName("xdp-primary");

        NodeProgramState state = applyInAgentNamespace(signedForGlobOnPrimary(name, "eth*"));

        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getReason()).isEqualTo("IntentMismatch");
        assertThat(state.getMessage()).isEqualTo("spec.programs[0].attach.xdp.interface resolved to '" + agentEnd
                + "' on this node, but the signed intent binds pattern 'eth*'");
        assertThat(bridge.created()).as("kernel objects created").isEmpty();
        assertThat(fixture.pinRoot().resolve(name)).doesNotExist();
    }

    @Test
    void withoutADefaultRouteTheNodeHasNoPrimaryInterfaceAndSaysSo() throws Exception {
        assertThat(namespaces.inAgentNamespace(bridge::defaultRouteInterface)).isEmpty();
        String name = TestBundles.uniqueName("xdp-primary");

        NodeProgramState state = applyInAgentNamespace(signedForGlobOnPrimary(name, "*"));

        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getReason()).isEqualTo("AttachFailed");
        assertThat(state.getMessage()).contains("no default route in the agent's network namespace");
        assertThat(bridge.created()).as("kernel objects created").isEmpty();
        assertThat(fixture.pinRoot().resolve(name)).doesNotExist();
    }
}
