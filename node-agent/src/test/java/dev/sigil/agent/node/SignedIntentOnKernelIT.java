package dev.sigil.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.api.testing.IntentTamperCases;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
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
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.signing.AttachHint;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.UnboundPrograms;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent on the real kernel with the signed intent: every tampered resource is refused before anything
 * is created in the kernel (a recording bridge sees every object made through it), a tp_btf program signed
 * without an attach point loads at its own BTF target and counts, and an attach point the kernel would refuse
 * for the program's signed type is refused before loading, bound or not.
 */
class SignedIntentOnKernelIT {
    private HostFixture fixture;
    private RecordingBridge bridge;

    private HostFixture start(dev.sigil.signing.TrustBundle trust) {
        KernelFeatures kernel = KernelAssumptions.requireLoaderHashV1();
        bridge = new RecordingBridge();
        fixture = new HostFixture(kernel, bridge, trust);
        return fixture;
    }

    @AfterEach
    void cleanUp() throws Exception {
        HostFixture.closeIfStarted(fixture);
    }

    static List<IntentTamperCases> rejected() {
        return IntentTamperCases.rejected();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void refusesEveryTamperedIntentWithNothingLoaded(IntentTamperCases tamper) {
        start(SignedFixtures.trust());
        String name = TestBundles.uniqueName("tamper");

        NodeProgramState state = fixture.host().apply(tamper.resource(name));

        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getReason()).isEqualTo(tamper.verdict().orElseThrow().name());
        assertThat(state.getMessage()).contains(tamper.mentions());
        assertThat(bridge.created()).as("kernel objects created").isEmpty();
        assertThat(fixture.pinRoot().resolve(name)).doesNotExist();
    }

    @Test
    void aTpBtfProgramSignedWithoutAttachLoadsAtItsOwnTargetAndCounts() {
        KernelFeatures kernel = start(TestBundles.trust()).kernel();
        KernelAssumptions.require("tp_btf attach", kernel.attach(AttachKind.TpBtf));
        LightSkeleton skeleton = TestBundles.skeleton("bpf/tp_btf_count.lskel.h");
        AttachHint own = skeleton.defaultAttach().get("tp_btf_count");
        assertThat(own).isEqualTo(new AttachHint("tp_btf", "sys_enter"));
        String name = TestBundles.uniqueName("tpbtf-default");

        NodeProgramState state = fixture.host().apply(TestResources.resource(name, 1,
                TestBundles.sign(skeleton, TestBundles.key()),
                List.of(new ProgramSpec("tp_btf_count", AttachSpec.tpBtf(own.target()))), List.of(new MapSpec("hits")),
                Enforcement.Auto));

        assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.host().readMapValue(name, "hits", 0).orElseThrow() > 0);
    }

    @Test
    void refusesAnAttachPointTheKernelWouldRefuseBeforeLoadingEvenUnbound() {
        start(TestBundles.trust().withUnboundPrograms(UnboundPrograms.Admit));
        SignedBundle trusted = TestBundles.sign(TestBundles.skeleton("bpf/tp_btf_count.lskel.h"), TestBundles.key());

        for (AttachSpec attach : List.of(AttachSpec.tpBtf("no_such_tp"), AttachSpec.xdp("lo", XdpMode.Generic),
                AttachSpec.rawTracepoint("sys_enter"))) {
            String name = TestBundles.uniqueName("mistyped");
            SignedBpfProgram resource = TestResources.resource(name, 1, trusted,
                    List.of(new ProgramSpec("tp_btf_count", attach)), List.of(new MapSpec("hits")), Enforcement.Auto);
            resource.getSpec().setIntent(null);
            resource.getSpec().setIntentSignature(null);

            NodeProgramState state = fixture.host().apply(resource);

            assertThat(state.getReason()).as(attach.describe()).isEqualTo("AttachTypeMismatch");
            assertThat(state.getMessage()).contains("program tp_btf_count is a tracing (tp_btf sys_enter) program");
            assertThat(bridge.created()).isEmpty();
            assertThat(fixture.pinRoot().resolve(name)).doesNotExist();
        }
    }

}
