package dev.sigil.agent.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.agent.node.DeployRequest;
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
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.VerificationException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SpecTranslationTest {

    @Test
    void translatesEveryAttachKindAndDescribesItAsTheApiDoes() throws Exception {
        UserFunction malloc = new UserFunction(Path.of("/usr/lib/libc.so.6"), "malloc", 0, OptionalInt.empty());
        UserFunction serve = new UserFunction(Path.of("/opt/app"), "serve", 16, OptionalInt.of(42));
        Map<AttachSpec, AttachTarget> expected = Map.ofEntries(
                Map.entry(AttachSpec.rawTracepoint("sys_enter"), new AttachTarget.RawTracepoint("sys_enter")),
                Map.entry(AttachSpec.tpBtf("sched_switch"), new AttachTarget.TpBtf("sched_switch")),
                Map.entry(AttachSpec.xdp("eth0", AttachSpec.XdpMode.Driver), new AttachTarget.Xdp("eth0", AttachTarget.Xdp.Mode.Driver)),
                Map.entry(AttachSpec.tcx("eth1", AttachSpec.TcxDirection.Egress),
                        new AttachTarget.Tcx("eth1", AttachTarget.Tcx.Direction.Egress)),
                Map.entry(AttachSpec.cgroup("/sys/fs/cgroup/web", AttachSpec.CgroupAttachType.GetSockopt),
                        new AttachTarget.Cgroup(Path.of("/sys/fs/cgroup/web"), CgroupAttach.GetSockopt)),
                Map.entry(AttachSpec.function(AttachType.Fentry, "vfs_read"), new AttachTarget.Fentry("vfs_read")),
                Map.entry(AttachSpec.function(AttachType.Fexit, "vfs_read"), new AttachTarget.Fexit("vfs_read")),
                Map.entry(AttachSpec.function(AttachType.Lsm, "file_open"), new AttachTarget.Lsm("file_open")),
                Map.entry(AttachSpec.function(AttachType.Kprobe, "tcp_connect"), new AttachTarget.Kprobe("tcp_connect")),
                Map.entry(AttachSpec.tracepoint("syscalls", "sys_enter_openat"),
                        new AttachTarget.Tracepoint("syscalls", "sys_enter_openat")),
                Map.entry(AttachSpec.userFunction(AttachType.Uprobe, new AttachSpec.UserFunction("/usr/lib/libc.so.6", "malloc",
                        null, null)), new AttachTarget.Uprobe(malloc)),
                Map.entry(AttachSpec.userFunction(AttachType.Uretprobe, new AttachSpec.UserFunction("/opt/app", "serve", 16L, 42)),
                        new AttachTarget.Uretprobe(serve)),
                Map.entry(AttachSpec.skLookup("/var/run/netns/blue"), new AttachTarget.SkLookup(Path.of("/var/run/netns/blue"))));
        assertThat(expected.keySet()).extracting(AttachSpec::getType).containsExactlyInAnyOrder(AttachType.values());

        for (Map.Entry<AttachSpec, AttachTarget> entry : expected.entrySet()) {
            AttachTarget target = SpecTranslation.attachTarget("p", entry.getKey());
            assertThat(target).isEqualTo(entry.getValue());
            assertThat(target.describe()).isEqualTo(entry.getKey().describe());
            assertThat(StatusTranslation.attachType(target.kind())).isEqualTo(entry.getKey().getType());
        }
    }

    @Test
    void refusesProbeTargetsTheSchemaWouldHaveRefusedNamingTheProgram() {
        assertThatThrownBy(() -> SpecTranslation.attachTarget("p", AttachSpec.userFunction(AttachType.Uprobe,
                new AttachSpec.UserFunction("/usr/lib/../bin/app", "main", null, null))))
                .isInstanceOfSatisfying(BpfFailure.class, failure -> assertThat(failure.getMessage())
                        .startsWith("program p: ").contains("/usr/lib/../bin/app", "'..'"));
        assertThatThrownBy(() -> SpecTranslation.attachTarget("p", AttachSpec.tracepoint("../events", "x")))
                .isInstanceOf(BpfFailure.class).hasMessageContaining("tracepoint category '../events'");
        assertThatThrownBy(() -> SpecTranslation.attachTarget("p", AttachSpec.skLookup("blue")))
                .isInstanceOf(BpfFailure.class).hasMessageContaining("not absolute");
        assertThatThrownBy(() -> SpecTranslation.attachTarget("p", AttachSpec.userFunction(AttachType.Uretprobe,
                new AttachSpec.UserFunction("/usr/bin/app", "main", -1L, null))))
                .isInstanceOf(BpfFailure.class).hasMessageContaining("offset -1");
    }

    @Test
    void everyCgroupAttachTypeHasItsHook() throws Exception {
        for (AttachSpec.CgroupAttachType type : AttachSpec.CgroupAttachType.values()) {
            AttachTarget target = SpecTranslation.attachTarget("p", AttachSpec.cgroup("/sys/fs/cgroup", type));
            assertThat(((AttachTarget.Cgroup) target).attachType().name()).isEqualTo(type.name());
        }
    }

    @Test
    void refusesASpecWithoutItsTargetNamingTheProgram() {
        AttachSpec noMember = new AttachSpec();
        noMember.setType(AttachType.Xdp);

        assertThatThrownBy(() -> SpecTranslation.attachTarget("xdp_count", noMember))
                .isInstanceOfSatisfying(BpfFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(FailureReason.AttachFailed);
                    assertThat(failure.getMessage()).contains("xdp_count", "Xdp");
                });
        assertThatThrownBy(() -> SpecTranslation.attachTarget("p", null))
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
    void aRequestDecodesNothingUntilTheDeployAsks() throws Exception {
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
        assertThat(request.programs().resolve()).containsOnlyKeys("count_sys_enter");
        assertThatThrownBy(() -> request.signed().read())
                .isInstanceOfSatisfying(VerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReasonCode.MalformedLoader));
    }
}
