package dev.sigil.bpf.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.signing.testing.Shell;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XDP and tcx on a veth pair: one end stays in the root namespace (where the agent attaches), the other
 * moves into a network namespace the test creates and pings from. Everything is removed after each test.
 */
class NetworkAttachIT {
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String hostEnd = "sgh" + suffix;
    private final String peerEnd = "sgp" + suffix;
    private final String namespace = "sigil-test-" + suffix;
    private final String subnet = "10.213." + (Math.abs(suffix.hashCode()) % 250 + 1);
    private HostFixture fixture;
    private KernelFeatures kernel;

    @BeforeEach
    void createVethPair() {
        kernel = KernelAssumptions.requireLoaderHashV1();
        fixture = new HostFixture(kernel);
        Shell.run("ip", "netns", "add", namespace);
        Shell.run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", peerEnd);
        Shell.run("ip", "link", "set", peerEnd, "netns", namespace);
        Shell.run("ip", "addr", "add", subnet + ".1/24", "dev", hostEnd);
        Shell.run("ip", "link", "set", hostEnd, "up");
        Shell.run("ip", "-n", namespace, "addr", "add", subnet + ".2/24", "dev", peerEnd);
        Shell.run("ip", "-n", namespace, "link", "set", peerEnd, "up");
    }

    @AfterEach
    void removeEverything() throws Exception {
        try {
            HostFixture.closeIfStarted(fixture);
        } finally {
            Shell.quietly("ip", "link", "del", hostEnd);
            Shell.quietly("ip", "netns", "del", namespace);
        }
    }

    private void pingFromNamespace() {
        Shell.quietly("ip", "netns", "exec", namespace, "ping", "-c", "3", "-i", "0.2", "-W", "1", subnet + ".1");
    }

    private NodeProgramState apply(String name, String skeleton, String program, AttachSpec attach) {
        return fixture.host().apply(TestResources.resource(name, 1,
                TestBundles.sign(TestBundles.skeleton(skeleton), TestBundles.key()),
                List.of(new ProgramSpec(program, attach)), List.of(new MapSpec("hits")), Enforcement.Auto));
    }

    private void awaitHitsAbove(String name, long value) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            pingFromNamespace();
            return fixture.host().readMapValue(name, "hits", 0).orElseThrow() > value;
        });
    }

    @Test
    void xdpCountsPacketsOnTheVethAndSurvivesADetachBehindTheAgentsBack() {
        KernelAssumptions.require("XDP attach", kernel.attach(AttachKind.Xdp));
        String name = TestBundles.uniqueName("xdp");
        NodeProgramState state = apply(name, "bpf/xdp_count.lskel.h", "xdp_count",
                AttachSpec.xdp(hostEnd, XdpMode.Generic));
        assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
        awaitHitsAbove(name, 0);

        // What `bpftool link detach` does: BPF_LINK_DETACH through a second fd on the agent's link.
        SyscallBridge bridge = LinuxSyscallBridge.create();
        try (Fd link = bridge.fdById(ObjectKind.LINK, state.getPrograms().getFirst().getLinkId().intValue()).orElseThrow()) {
            bridge.linkDetach(link);
        }
        List<NodeProgramState> repaired = fixture.host().repairDrift();

        assertThat(repaired).singleElement().satisfies(after -> {
            assertThat(after.getMessage()).contains("re-attached xdp_count");
            assertThat(after.getPrograms().getFirst().getLinkId()).isNotEqualTo(state.getPrograms().getFirst().getLinkId());
        });
        long afterRepair = fixture.host().readMapValue(name, "hits", 0).orElseThrow();
        awaitHitsAbove(name, afterRepair);
    }

    @Test
    void tcxCountsPacketsOnIngressAndEgress() {
        KernelAssumptions.require("tcx attach", kernel.attach(AttachKind.Tcx));
        String ingress = TestBundles.uniqueName("tcx-in");
        String egress = TestBundles.uniqueName("tcx-out");
        assertThat(apply(ingress, "bpf/tcx_count.lskel.h", "tcx_count",
                AttachSpec.tcx(hostEnd, TcxDirection.Ingress)).getPhase()).isEqualTo(ProgramPhase.Attached);
        assertThat(apply(egress, "bpf/tcx_count.lskel.h", "tcx_count",
                AttachSpec.tcx(hostEnd, TcxDirection.Egress)).getPhase()).isEqualTo(ProgramPhase.Attached);

        awaitHitsAbove(ingress, 0);
        awaitHitsAbove(egress, 0);
    }

    @Test
    void aMissingInterfaceIsAnAttachFailureAndLeavesNothingLoaded() {
        KernelAssumptions.require("XDP attach", kernel.attach(AttachKind.Xdp));
        String name = TestBundles.uniqueName("xdp");
        NodeProgramState state = apply(name, "bpf/xdp_count.lskel.h", "xdp_count",
                AttachSpec.xdp("sgnone" + suffix, XdpMode.Generic));

        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getReason()).isEqualTo("AttachFailed");
        assertThat(state.getMessage()).contains("sgnone" + suffix, "ENODEV");
        assertThat(fixture.pinRoot().resolve(name)).doesNotExist();
    }
}
