package dev.sigil.bpf.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.testing.AgentNamespaces;
import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.sys.SyscallException;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XDP and tcx attached inside a network namespace: the host runs on a thread that entered the test's
 * "agent" namespace with setns(2), the veth joins it to a "peer" namespace, and pings from the peer must
 * reach the programs. The root namespace gets no interface; both namespaces go after each test.
 */
class NamespacedAttachIT {
    private final SyscallBridge bridge = LinuxSyscallBridge.create();
    private KernelFeatures kernel;
    private HostFixture fixture;
    private AgentNamespaces namespaces;

    @BeforeEach
    void createNamespacesJoinedByAVeth() {
        kernel = KernelAssumptions.requireLoaderHashV1();
        KernelAssumptions.require("XDP attach", kernel.attach(AttachKind.Xdp));
        KernelAssumptions.require("tcx attach", kernel.attach(AttachKind.Tcx));
        fixture = new HostFixture(kernel, bridge, TestBundles.trust());
        namespaces = new AgentNamespaces(bridge, 214);
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

    private NodeProgramState applyInAgentNamespace(String name, String skeleton, String program, AttachSpec attach) {
        return namespaces.inAgentNamespace(() -> fixture.host().apply(TestResources.resource(name, 1,
                TestBundles.sign(TestBundles.skeleton(skeleton), TestBundles.key()),
                List.of(new ProgramSpec(program, attach)), List.of(new MapSpec("hits")), Enforcement.Auto)));
    }

    private long hits(String name) {
        return fixture.host().readMapValue(name, "hits", 0).orElseThrow();
    }

    @Test
    void xdpAndTcxCountPingsArrivingFromAnotherNamespace() {
        String xdp = TestBundles.uniqueName("xdp");
        String tcx = TestBundles.uniqueName("tcx-in");
        NodeProgramState xdpState = applyInAgentNamespace(xdp, "bpf/xdp_count.lskel.h", "xdp_count",
                AttachSpec.xdp(namespaces.agentEnd(), XdpMode.Generic));
        NodeProgramState tcxState = applyInAgentNamespace(tcx, "bpf/tcx_count.lskel.h", "tcx_count",
                AttachSpec.tcx(namespaces.agentEnd(), TcxDirection.Ingress));
        assertThat(xdpState.getPhase()).as(xdpState.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThat(tcxState.getPhase()).as(tcxState.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThatThrownBy(() -> bridge.interfaceIndex(namespaces.agentEnd())).as("the interface is not in the root namespace")
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.is(Errno.ENODEV)).isTrue());
        long xdpBefore = hits(xdp);
        long tcxBefore = hits(tcx);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            namespaces.pingTheAgentFromThePeer();
            return hits(xdp) > xdpBefore && hits(tcx) > tcxBefore;
        });
    }
}
