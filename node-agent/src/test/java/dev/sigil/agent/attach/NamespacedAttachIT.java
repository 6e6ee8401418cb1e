package dev.sigil.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.testing.NamespacedHost;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.SyscallException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * XDP and tcx attached inside a network namespace: the host runs on a thread that entered the test's
 * "agent" namespace with setns(2), the veth joins it to a "peer" namespace, and pings from the peer must
 * reach the programs. The root namespace gets no interface; both namespaces go after each test.
 */
class NamespacedAttachIT {

    @RegisterExtension
    final NamespacedHost net = new NamespacedHost(214, AttachKind.Xdp, AttachKind.Tcx);

    private NodeProgramState applyInAgentNamespace(String name, String skeleton, String program, AttachSpec attach) {
        return net.namespaces().inAgentNamespace(() -> net.fixture().host().apply(TestResources.resource(name, 1,
                TestBundles.sign(TestBundles.skeleton(skeleton), TestBundles.key()),
                List.of(new ProgramSpec(program, attach)), List.of(new MapSpec("hits")), Enforcement.Auto)));
    }

    private long hits(String name) {
        return net.fixture().host().readMapValue(name, "hits", 0).orElseThrow();
    }

    @Test
    void xdpAndTcxCountPingsArrivingFromAnotherNamespace() {
        String xdp = TestBundles.uniqueName("xdp");
        String tcx = TestBundles.uniqueName("tcx-in");
        NodeProgramState xdpState = applyInAgentNamespace(xdp, "bpf/xdp_count.lskel.h", "xdp_count",
                AttachSpec.xdp(net.namespaces().agentEnd(), XdpMode.Generic));
        NodeProgramState tcxState = applyInAgentNamespace(tcx, "bpf/tcx_count.lskel.h", "tcx_count",
                AttachSpec.tcx(net.namespaces().agentEnd(), TcxDirection.Ingress));
        assertThat(xdpState.getPhase()).as(xdpState.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThat(tcxState.getPhase()).as(tcxState.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThatThrownBy(() -> net.bridge().interfaceIndex(net.namespaces().agentEnd())).as("the interface is not in the root namespace")
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.is(Errno.ENODEV)).isTrue());
        long xdpBefore = hits(xdp);
        long tcxBefore = hits(tcx);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            net.namespaces().pingTheAgentFromThePeer();
            return hits(xdp) > xdpBefore && hits(tcx) > tcxBefore;
        });
    }
}
