package dev.sigil.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigil.agent.testing.HostStatus;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.ProgramLoadException;
import dev.sigil.bpf.testing.FakeSyscallBridge;
import dev.sigil.bpf.testing.Features;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.SignedBundle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the host refuses, and that it refuses before the kernel is asked anything. */
class KernelProgramHostTest {
    @TempDir
    Path pinRoot;

    private final FakeSyscallBridge bridge = new FakeSyscallBridge();
    private final SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());

    private KernelProgramHost kernelHost(KernelFeatures kernel) {
        return new KernelProgramHost(new HostConfig(pinRoot, TestBundles.trust(), Clock.systemUTC(), Duration.ofSeconds(1)),
                bridge, kernel);
    }

    private HostStatus host(KernelFeatures kernel) {
        return new HostStatus(kernelHost(kernel));
    }

    private NodeProgramState apply(SignedBundle signed, Enforcement enforcement) {
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            return host.apply(TestResources.counterResource("counter", 1, signed, enforcement));
        }
    }

    /** The fake kernel hashes the metadata map as the real one would, and its loader fills the example's two map slots. */
    private void fakeKernelRunsTheLoader() {
        bridge.mapHash = bundle.metadataSha256();
        bridge.mapSlots = 2;
    }

    private void assertRejectedBeforeTheKernel(NodeProgramState state, String reason) {
        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getReason()).isEqualTo(reason);
        assertThat(state.getMessage()).isNotBlank();
        assertThat(bridge.calls).as("bridge calls for a rejected bundle").isEmpty();
    }

    @Test
    void rejectsTamperedLoaderBeforeAnyBpfCall() {
        SignedBundle tampered = new SignedBundle(bundle.protocol(), TestBundles.flipByte(bundle.loader(), 200),
                bundle.metadata(), bundle.hash(), bundle.signature());
        assertRejectedBeforeTheKernel(apply(tampered, Enforcement.Auto), ReasonCode.SignatureInvalid.name());
    }

    @Test
    void rejectsTamperedSignatureBeforeAnyBpfCall() {
        byte[] signature = bundle.signature();
        SignedBundle tampered = new SignedBundle(bundle.protocol(), bundle.loader(), bundle.metadata(), bundle.hash(),
                TestBundles.flipByte(signature, signature.length - 3));
        assertRejectedBeforeTheKernel(apply(tampered, Enforcement.Auto), ReasonCode.SignatureInvalid.name());
    }

    @Test
    void rejectsTamperedMetadataBeforeAnyBpfCall() {
        SignedBundle tampered = TestBundles.withMetadata(bundle, TestBundles.flipByte(bundle.metadata(), 100));
        assertRejectedBeforeTheKernel(apply(tampered, Enforcement.Auto), ReasonCode.HashMismatch.name());
    }

    @Test
    void rejectsAnUntrustedSignerBeforeAnyBpfCall() {
        SignedBundle stranger = TestBundles.sign(TestBundles.counter(), TestBundles.untrustedKey());
        assertRejectedBeforeTheKernel(apply(stranger, Enforcement.Auto), ReasonCode.UntrustedSigner.name());
    }

    @Test
    void rejectsANameThatCannotNameAPinDirectoryBeforeAnyBpfCall() {
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState state = host.apply(TestResources.counterResource("../counter", 1, bundle, Enforcement.Auto));
            assertRejectedBeforeTheKernel(state, "InvalidResource");
            assertThat(state.getMessage()).contains("not a valid resource name", "../counter");
        }
    }

    @ParameterizedTest(name = "program named {0}")
    @ValueSource(strings = {"count_sys_enter/x", "count_sys_enter/x/../../../../victim", "/../../..", "count.sys_enter"})
    void rejectsAProgramNameThatIsNoPinBeforeAnyBpfCall(String program) {
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState state = host.apply(TestResources.resource("counter", 1, bundle,
                    List.of(new ProgramSpec(program, AttachSpec.rawTracepoint("sys_enter"))), COUNTER_MAPS, Enforcement.Auto));
            assertRejectedBeforeTheKernel(state, "InvalidResource");
            assertThat(state.getMessage()).contains("program name '" + program + "'", "cannot name a pin");
        }
    }

    @Test
    void rejectsAPinnedMapNameThatIsNoPinBeforeAnyBpfCall() {
        MapSpec escaping = new MapSpec("../../../counts");
        escaping.setPin(true);
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState state = host.apply(TestResources.resource("counter", 1, bundle,
                    List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter"))),
                    List.of(escaping, new MapSpec("data")), Enforcement.Auto));
            assertRejectedBeforeTheKernel(state, "InvalidResource");
            assertThat(state.getMessage()).contains("map name '../../../counts'");
        }
    }

    @Test
    void rejectsAMapNameGivenTwiceBeforeAnyBpfCall() {
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState state = host.apply(TestResources.resource("counter", 1, bundle,
                    List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter"))),
                    List.of(new MapSpec("counts"), new MapSpec("counts")), Enforcement.Auto));
            assertRejectedBeforeTheKernel(state, "InvalidResource");
            assertThat(state.getMessage()).contains("map name 'counts' is given twice");
        }
    }

    @Test
    void comparesAProgramNameWholeWithTheKernelsBeforeAnyBpfCall() {
        // Valid as a pin, but longer than the kernel keeps: never taken for the program whose first 15 characters it has.
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState state = host.apply(TestResources.resource("counter", 1, bundle,
                    List.of(new ProgramSpec("count_sys_enterX", AttachSpec.rawTracepoint("sys_enter"))), COUNTER_MAPS,
                    Enforcement.Auto));
            assertRejectedBeforeTheKernel(state, ReasonCode.ProgramMismatch.name());
        }
    }

    @Test
    void holdsAResourceThatVerifiesToTheApisRulesBeforeAnyBpfCall() {
        // Signed and bound as it is, unpinned (so no pin path is at stake), but no map name of the API.
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState state = host.apply(TestResources.resource("counter", 1, bundle,
                    List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter"))),
                    List.of(new MapSpec("counts..x"), new MapSpec("data")), Enforcement.Auto));
            assertRejectedBeforeTheKernel(state, "InvalidResource");
            assertThat(state.getMessage()).startsWith("spec.maps[0].name: 'counts..x' is not a map name");
        }
    }

    @Test
    void reportsAnExceptionOfAStepAsThisResourcesFailure() {
        bridge.progInfoFailure = new IllegalStateException("a library broke\nwith a second line");
        fakeKernelRunsTheLoader();
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState state = host.apply(TestResources.counterResource("counter", 1, bundle, Enforcement.Auto));

            assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
            assertThat(state.getReason()).isEqualTo("AgentError");
            assertThat(state.getMessage()).isEqualTo("unexpected IllegalStateException during deployment: a library broke");
            assertThat(bridge.openFds).as("released on the way").isEmpty();
        }
    }

    private static final List<MapSpec> COUNTER_MAPS = List.of(new MapSpec("counts"), new MapSpec("data"));

    @Test
    void unloadingSomethingNeverAppliedSaysSoWithoutTouchingTheKernel() {
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState state = host.unload("never-applied");
            assertThat(state.getPhase()).isEqualTo(ProgramPhase.Unloading);
            assertThat(state.getMessage()).contains("nothing to unload", "never-applied");
        }
        assertThat(bridge.calls).isEmpty();
    }

    @Test
    void refusesKernelEnforcementWhereTheKernelCannotCheckSignatures() {
        assertRejectedBeforeTheKernel(apply(bundle, Enforcement.Kernel), FailureReason.EnforcementUnavailable.name());
    }

    @Test
    void refusesAnAttachTypeTheKernelDoesNotAllowBeforeLoading() {
        SignedBpfProgram resource = TestResources.resource("fentry", 1,
                TestBundles.sign(TestBundles.skeleton("bpf/fentry_count.lskel.h"), TestBundles.key()),
                List.of(new ProgramSpec("fentry_count", AttachSpec.function(AttachType.Fentry, "bpf_fentry_test1"))),
                List.of(new MapSpec("hits")), Enforcement.Auto);
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState state = host.apply(resource);
            assertRejectedBeforeTheKernel(state, FailureReason.AttachUnsupported.name());
            assertThat(state.getMessage()).contains("Fentry").contains("EPERM");
        }
    }

    @Test
    void autoEnforcementLoadsWithAgentChecksOnThisKindOfKernel() {
        fakeKernelRunsTheLoader();
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState state = host.apply(TestResources.counterResource("counter", 1, bundle, Enforcement.Auto));
            assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
            assertThat(state.getEnforcement()).isEqualTo(AppliedEnforcement.Agent);
            assertThat(bridge.calls).doesNotContain("addKey:keyring");
            assertThat(bridge.calls).contains("rawTracepointOpen", "objPin");
        }
    }

    @Test
    void kernelEnforcementFillsAKeyringFromTheTrustBundle() {
        fakeKernelRunsTheLoader();
        try (HostStatus host = host(Features.withKernelSignatures())) {
            NodeProgramState state = host.apply(TestResources.counterResource("counter", 1, bundle, Enforcement.Kernel));
            assertThat(state.getEnforcement()).isEqualTo(AppliedEnforcement.Kernel);
            assertThat(bridge.calls).containsSubsequence("addKey:keyring", "addKey:asymmetric", "progLoad");
            assertThat(bridge.programsLoaded.getFirst().signature()).hasValueSatisfying(signature ->
                    assertThat(signature.keyringId()).isEqualTo(4711));
        }
        assertThat(bridge.calls).contains("invalidateKey");
    }

    @Test
    void sameGenerationAndLoaderAreKeptWithoutTouchingTheKernel() {
        fakeKernelRunsTheLoader();
        try (KernelProgramHost host = kernelHost(Features.withoutKernelSignatures())) {
            ResourceReport first = host.apply(SpecTranslation.deployRequest(
                    TestResources.counterResource("counter", 1, bundle, Enforcement.Auto)));
            int callsAfterFirst = bridge.calls.size();
            ResourceReport second = host.apply(SpecTranslation.deployRequest(
                    TestResources.counterResource("counter", 1, bundle, Enforcement.Auto)));
            assertThat(second).isSameAs(first);
            assertThat(bridge.calls).hasSize(callsAfterFirst);
        }
    }

    /** The host holds the node's state once: the latest failed apply is the news, while the older generation runs. */
    @Test
    void reportsTheLatestFailedApplyOverWhatStillRuns() {
        fakeKernelRunsTheLoader();
        try (HostStatus host = host(Features.withoutKernelSignatures())) {
            NodeProgramState running = host.apply(TestResources.counterResource("counter", 1, bundle, Enforcement.Auto));
            host.apply(TestResources.counterResource("other", 1, bundle, Enforcement.Auto));
            bridge.progLoadFailure = new ProgramLoadException(Errno.EINVAL.number(), "__loader.prog", "refused");

            NodeProgramState failed = host.apply(TestResources.counterResource("counter", 2, bundle, Enforcement.Auto));

            assertThat(host.states()).extracting(NodeProgramState::getName, NodeProgramState::getPhase)
                    .containsExactlyInAnyOrder(
                            tuple("counter", ProgramPhase.Failed),
                            tuple("other", ProgramPhase.Attached));
            assertThat(failed.getReason()).isEqualTo(FailureReason.ProgramLoadFailed.name());
            assertThat(failed.getPrograms()).as("generation 1 still runs")
                    .extracting(LoadedProgram::getProgramId)
                    .containsExactly(running.getPrograms().getFirst().getProgramId());
        }
    }
}
