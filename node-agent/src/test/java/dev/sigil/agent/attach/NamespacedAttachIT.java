package dev.sigil.bpf.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.NetworkNamespaceThread;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.sys.SyscallException;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.Shell;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XDP and tcx attached inside a network namespace: the host runs on a thread that entered the test's
 * "agent" namespace with setns(2), the veth joins it to a "peer" namespace, and pings from the peer must
 * reach the programs. The root namespace gets no interface; both namespaces go after each test.
 */
class NamespacedAttachIT {
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String agentNamespace = "sigil-test-a-" + suffix;
    private final String peerNamespace = "sigil-test-p-" + suffix;
    private final String agentEnd = "sga" + suffix;
    private final String peerEnd = "sgp" + suffix;
    private final String subnet = "10.214." + (Math.abs(suffix.hashCode()) % 250 + 1);
    private final SyscallBridge bridge = LinuxSyscallBridge.create();
    private KernelFeatures kernel;
    private HostFixture fixture;
    private NetworkNamespaceThread inAgentNamespace;

    @BeforeEach
    void createNamespacesJoinedByAVeth() {
        kernel = KernelAssumptions.requireLoaderHashV1();
        KernelAssumptions.require("XDP attach", kernel.attach(AttachKind.Xdp));
        KernelAssumptions.require("tcx attach", kernel.attach(AttachKind.Tcx));
        fixture = new HostFixture(kernel, bridge, TestBundles.trust());
        Shell.run("ip", "netns", "add", agentNamespace);
        Shell.run("ip", "netns", "add", peerNamespace);
        Shell.run("ip", "link", "add", agentEnd, "netns", agentNamespace, "type", "veth",
                "peer", "name", peerEnd, "netns", peerNamespace);
        Shell.run("ip", "-n", agentNamespace, "addr", "add", subnet + ".1/24", "dev", agentEnd);
        Shell.run("ip", "-n", agentNamespace, "link", "set", agentEnd, "up");
        Shell.run("ip", "-n", peerNamespace, "addr", "add", subnet + ".2/24", "dev", peerEnd);
        Shell.run("ip", "-n", peerNamespace, "link", "set", peerEnd, "up");
        inAgentNamespace = NetworkNamespaceThread.entering(bridge, Path.of("/var/run/netns", agentNamespace),
                "sigil-test-" + agentNamespace);
    }

    @AfterEach
    void removeEverything() throws Exception {
        try {
            HostFixture.closeIfStarted(fixture);
        } finally {
            // The thread leaves first: a namespace with a thread in it outlives `ip netns del`.
            if (inAgentNamespace != null) {
                inAgentNamespace.close();
            }
            Shell.quietly("ip", "-n", agentNamespace, "link", "del", agentEnd);
            Shell.quietly("ip", "netns", "del", agentNamespace);
            Shell.quietly("ip", "netns", "del", peerNamespace);
        }
    }

    private NodeProgramState applyInAgentNamespace(String name, String skeleton, String program, AttachSpec attach) {
        return inAgentNamespace.call(() -> fixture.host().apply(TestResources.resource(name, 1,
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
                AttachSpec.xdp(agentEnd, AttachSpec.XdpMode.Generic));
        NodeProgramState tcxState = applyInAgentNamespace(tcx, "bpf/tcx_count.lskel.h", "tcx_count",
                AttachSpec.tcx(agentEnd, AttachSpec.TcxDirection.Ingress));
        assertThat(xdpState.getPhase()).as(xdpState.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThat(tcxState.getPhase()).as(tcxState.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThatThrownBy(() -> bridge.interfaceIndex(agentEnd)).as("the interface is not in the root namespace")
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.is(Errno.ENODEV)).isTrue());
        long xdpBefore = hits(xdp);
        long tcxBefore = hits(tcx);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Shell.quietly("ip", "netns", "exec", peerNamespace, "ping", "-c", "3", "-i", "0.2", "-W", "1", subnet + ".1");
            return hits(xdp) > xdpBefore && hits(tcx) > tcxBefore;
        });
    }
}
