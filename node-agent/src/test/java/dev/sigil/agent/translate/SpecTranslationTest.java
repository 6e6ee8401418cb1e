package dev.sigil.agent.translate;

import static dev.sigil.signing.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.agent.node.DeployRequest;
import dev.sigil.agent.testing.StubNodeFacts;
import dev.sigil.agent.testing.TestPrograms;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.CgroupAttach;
import dev.sigil.bpf.attach.UserFunction;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.loader.Enforcement;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.Tcx;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.Xdp;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.signing.ReasonCode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SpecTranslationTest {
    /** A node without a default route: what a test that leaves nothing to the node must never ask. */
    private static final StubNodeFacts NO_PRIMARY = StubNodeFacts.noPrimary("lo");

    @Test
    void translatesEveryAttachKindAndDescribesItAsTheApiDoes() throws Exception {
        UserFunction malloc = new UserFunction(Path.of("/usr/lib/libc.so.6"), "malloc", 0, OptionalInt.empty());
        UserFunction serve = new UserFunction(Path.of("/opt/app"), "serve", 16, OptionalInt.of(42));
        Map<AttachSpec, AttachTarget> expected = Map.ofEntries(
                Map.entry(AttachSpec.rawTracepoint("sys_enter"), new AttachTarget.RawTracepoint("sys_enter")),
                Map.entry(AttachSpec.tpBtf("sched_switch"), new AttachTarget.TpBtf("sched_switch")),
                Map.entry(AttachSpec.xdp("eth0", XdpMode.Driver), new AttachTarget.Xdp("eth0", AttachTarget.Xdp.Mode.Driver)),
                Map.entry(AttachSpec.tcx("eth1", TcxDirection.Egress),
                        new AttachTarget.Tcx("eth1", AttachTarget.Tcx.Direction.Egress)),
                Map.entry(AttachSpec.cgroup("/sys/fs/cgroup/web", CgroupAttachType.GetSockopt),
                        new AttachTarget.Cgroup(Path.of("/sys/fs/cgroup/web"), CgroupAttach.GetSockopt)),
                Map.entry(AttachSpec.function(AttachType.Fentry, "vfs_read"), new AttachTarget.Fentry("vfs_read")),
                Map.entry(AttachSpec.function(AttachType.Fexit, "vfs_read"), new AttachTarget.Fexit("vfs_read")),
                Map.entry(AttachSpec.function(AttachType.Lsm, "file_open"), new AttachTarget.Lsm("file_open")),
                Map.entry(AttachSpec.function(AttachType.Kprobe, "tcp_connect"), new AttachTarget.Kprobe("tcp_connect")),
                Map.entry(AttachSpec.tracepoint("syscalls", "sys_enter_openat"),
                        new AttachTarget.Tracepoint("syscalls", "sys_enter_openat")),
                Map.entry(AttachSpec.userFunction(AttachType.Uprobe, new dev.sigil.crds.signedbpfprogram.spec.UserFunction("/usr/lib/libc.so.6", "malloc",
                        null, null)), new AttachTarget.Uprobe(malloc)),
                Map.entry(AttachSpec.userFunction(AttachType.Uretprobe, new dev.sigil.crds.signedbpfprogram.spec.UserFunction("/opt/app", "serve", 16L, 42)),
                        new AttachTarget.Uretprobe(serve)),
                Map.entry(AttachSpec.skLookup("/var/run/netns/blue"), new AttachTarget.SkLookup(Path.of("/var/run/netns/blue"))));
        assertThat(expected.keySet()).extracting(AttachSpec::getType).containsExactlyInAnyOrder(AttachType.values());

        for (Map.Entry<AttachSpec, AttachTarget> entry : expected.entrySet()) {
            AttachTarget target = SpecTranslation.attachTargets("p", entry.getKey(), NO_PRIMARY).getFirst();
            assertThat(target).isEqualTo(entry.getValue());
            assertThat(target.describe()).isEqualTo(entry.getKey().describe());
            assertThat(StatusTranslation.attachType(target.kind())).isEqualTo(entry.getKey().getType());
        }
    }

    @Test
    void refusesProbeTargetsTheSchemaWouldHaveRefusedNamingTheProgram() {
        assertThatThrownBy(() -> SpecTranslation.attachTargets("p", AttachSpec.userFunction(AttachType.Uprobe,
                new dev.sigil.crds.signedbpfprogram.spec.UserFunction("/usr/lib/../bin/app", "main", null, null)), NO_PRIMARY))
                .isInstanceOfSatisfying(BpfFailure.class, failure -> assertThat(failure.getMessage())
                        .startsWith("program p: ").contains("/usr/lib/../bin/app", "'..'"));
        assertThatThrownBy(() -> SpecTranslation.attachTargets("p", AttachSpec.tracepoint("../events", "x"), NO_PRIMARY))
                .isInstanceOf(BpfFailure.class).hasMessageContaining("tracepoint category '../events'");
        assertThatThrownBy(() -> SpecTranslation.attachTargets("p", AttachSpec.skLookup("blue"), NO_PRIMARY))
                .isInstanceOf(BpfFailure.class).hasMessageContaining("not absolute");
        assertThatThrownBy(() -> SpecTranslation.attachTargets("p", AttachSpec.userFunction(AttachType.Uretprobe,
                new dev.sigil.crds.signedbpfprogram.spec.UserFunction("/usr/bin/app", "main", -1L, null)), NO_PRIMARY))
                .isInstanceOf(BpfFailure.class).hasMessageContaining("offset -1");
    }

    @Test
    void everyCgroupAttachTypeHasItsHook() throws Exception {
        for (CgroupAttachType type : CgroupAttachType.values()) {
            AttachTarget target = SpecTranslation.attachTargets("p", AttachSpec.cgroup("/sys/fs/cgroup", type), NO_PRIMARY).getFirst();
            assertThat(((AttachTarget.Cgroup) target).attachType().name()).isEqualTo(type.name());
        }
    }

    @Test
    void thePrimaryInterfaceIsWhatTheNodeSaysWhenTheResourceLeavesItToTheNode() throws Exception {
        assertThat(SpecTranslation.attachTargets("p", AttachSpec.xdp(Xdp.onPrimaryInterface(XdpMode.Driver)), StubNodeFacts.primary("ens5")))
                .containsExactly(new AttachTarget.Xdp("ens5", AttachTarget.Xdp.Mode.Driver));
        assertThat(SpecTranslation.attachTargets("p", AttachSpec.tcx(Tcx.onPrimaryInterface(TcxDirection.Ingress)), StubNodeFacts.primary("ens6")))
                .containsExactly(new AttachTarget.Tcx("ens6", AttachTarget.Tcx.Direction.Ingress));
        assertThat(AttachSpec.xdp(Xdp.onPrimaryInterface(XdpMode.Generic)).describe()).isEqualTo("Xdp(primary interface, Generic)");

        assertThatThrownBy(() -> SpecTranslation.attachTargets("p", AttachSpec.xdp(Xdp.onPrimaryInterface(XdpMode.Generic)),
                NO_PRIMARY)).isInstanceOf(BpfFailure.class).hasMessage("the node has no primary interface");
    }

    @Test
    void anInterfacePatternIsEveryInterfaceOfTheNodeItMatches() throws Exception {
        StubNodeFacts node = StubNodeFacts.primary("eth0", "veth1", "veth22", "vethx.3", "lo", "wlan0");

        assertThat(SpecTranslation.attachTargets("p", AttachSpec.xdp(Xdp.matching("veth*", XdpMode.Generic)), node))
                .containsExactly(new AttachTarget.Xdp("veth1", AttachTarget.Xdp.Mode.Generic),
                        new AttachTarget.Xdp("veth22", AttachTarget.Xdp.Mode.Generic),
                        new AttachTarget.Xdp("vethx.3", AttachTarget.Xdp.Mode.Generic));
        assertThat(SpecTranslation.attachTargets("p", AttachSpec.tcx(Tcx.matching("veth?", TcxDirection.Egress)), node))
                .containsExactly(new AttachTarget.Tcx("veth1", AttachTarget.Tcx.Direction.Egress));
        assertThat(SpecTranslation.attachTargets("p", AttachSpec.xdp(Xdp.matching("docker*", XdpMode.Generic)), node))
                .as("a pattern matching nothing on this node").isEmpty();
        assertThat(AttachSpec.xdp(Xdp.matching("veth*", XdpMode.Generic)).describe())
                .isEqualTo("Xdp(interfaces matching 'veth*', Generic)");
        assertThatThrownBy(() -> SpecTranslation.attachTargets("p", AttachSpec.xdp(Xdp.matching("eth[0-9]",
                XdpMode.Generic)), node)).isInstanceOf(BpfFailure.class).hasMessageStartingWith("program p: glob 'eth[0-9]'");
    }

    @Test
    void onlyAResourceWithAPrimaryInterfaceOrAPatternLeavesTargetsToTheNode() {
        SignedBpfProgram resource = TestPrograms.program("counter", "loader", null);
        assertThat(SpecTranslation.resolvesOnNode(resource)).isFalse();
        resource.getSpec().setPrograms(List.of(new ProgramSpec("xdp_count", AttachSpec.xdp("eth0", XdpMode.Generic))));
        assertThat(SpecTranslation.resolvesOnNode(resource)).isFalse();
        resource.getSpec().setPrograms(List.of(new ProgramSpec("xdp_count", AttachSpec.xdp("eth0", XdpMode.Generic)),
                new ProgramSpec("tcx_count", AttachSpec.tcx(Tcx.matching("veth*", TcxDirection.Ingress)))));
        assertThat(SpecTranslation.resolvesOnNode(resource)).isTrue();
        resource.getSpec().setPrograms(List.of(new ProgramSpec("xdp_count",
                AttachSpec.xdp(Xdp.onPrimaryInterface(XdpMode.Generic)))));
        assertThat(SpecTranslation.resolvesOnNode(resource)).isTrue();
    }

    @Test
    void refusesASpecWithoutItsTargetNamingTheProgram() {
        AttachSpec noMember = new AttachSpec();
        noMember.setType(AttachType.Xdp);

        assertThatThrownBy(() -> SpecTranslation.attachTargets("xdp_count", noMember, NO_PRIMARY))
                .isInstanceOfSatisfying(BpfFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(FailureReason.AttachFailed);
                    assertThat(failure.getMessage()).contains("xdp_count", "Xdp");
                });
        assertThatThrownBy(() -> SpecTranslation.attachTargets("p", null, NO_PRIMARY))
                .isInstanceOf(BpfFailure.class).hasMessage("program p has no attach type");
    }

    @Test
    void mapsEveryRequestedEnforcementAndDefaultsToAuto() {
        assertThat(Arrays.stream(dev.sigil.crds.signedbpfprogram.spec.Enforcement.values())
                .map(SpecTranslation::enforcement).map(Enum::name))
                .containsExactly("Auto", "Kernel", "Agent");
        assertThat(SpecTranslation.enforcement(null)).isEqualTo(Enforcement.Auto);
    }

    @Test
    void piecesThatCannotBeReadFailOnlyWhenTheDeployReadsThem() throws Exception {
        SignedBpfProgram resource = TestPrograms.program("counter", "loader", null);
        resource.getSpec().setLoader("not base64!");
        MapSpec pinned = new MapSpec("data");
        pinned.setPin(true);
        resource.getSpec().setMaps(List.of(new MapSpec("counts"), pinned));

        DeployRequest request = SpecTranslation.deployRequest(resource);

        assertThat(request.name()).isEqualTo("counter");
        assertThat(request.generation()).isEqualTo(OptionalLong.of(1));
        assertThat(request.maps()).containsExactly("counts", "data");
        assertThat(request.pinnedMaps()).containsExactly("data");
        assertThat(request.programs().resolve(NO_PRIMARY)).containsOnlyKeys("count_sys_enter");
        assertRefused(() -> request.signed().read(), ReasonCode.MalformedLoader);
    }
}
