package dev.sigil.agent.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.node.Attachment;
import dev.sigil.agent.node.FailureCause;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.node.RunningProgram;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.kernel.Support;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.AttachmentState;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramAttachment;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.signing.ReasonCode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusTranslationTest {

    @Test
    void anAttachedReportIsTheEntryTheNodeReports() {
        ResourceReport report = new ResourceReport("counter", OptionalLong.of(3), Optional.of("sha256:ab"),
                ResourceReport.Phase.Attached, Instant.parse("2025-06-01T12:00:00Z"), Optional.of(AppliedEnforcement.Agent),
                List.of(new RunningProgram("count_sys_enter", 17, "00aa", List.of(new Attachment(
                        new AttachTarget.RawTracepoint("sys_enter"), Attachment.State.Attached, 9,
                        Optional.of(Path.of("/sys/fs/bpf/sigil/counter/link_count_sys_enter")), Optional.empty(),
                        Optional.empty())))),
                Optional.empty(), Optional.of("re-adopted from pins"), Optional.empty());

        NodeProgramState state = StatusTranslation.state(report);

        assertThat(state.getName()).isEqualTo("counter");
        assertThat(state.getGeneration()).isEqualTo(3L);
        assertThat(state.getLoaderHash()).isEqualTo("sha256:ab");
        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Attached);
        assertThat(state.getEnforcement()).isEqualTo(dev.sigil.crds.bpfnodestate.status.AppliedEnforcement.Agent);
        assertThat(state.getReason()).isNull();
        assertThat(state.getMessage()).isEqualTo("re-adopted from pins");
        assertThat(state.getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(state.getPrograms()).singleElement().satisfies(program -> {
            assertThat(program.getProgramId()).isEqualTo(17L);
            assertThat(program.getLinkId()).isEqualTo(9L);
            assertThat(program.getTag()).isEqualTo("00aa");
            assertThat(program.getAttachedTo()).isEqualTo("RawTracepoint(sys_enter)");
            assertThat(program.getPinPath()).isEqualTo("/sys/fs/bpf/sigil/counter/link_count_sys_enter");
            assertThat(program.getAttachedCount()).isEqualTo(1);
            assertThat(program.getAttachments()).as("one attached target says all in the fields above").isNull();
        });
    }

    @Test
    void aProgramWithSeveralTargetsListsThemNewsFirstUpToTheCapAndCountsTheRest() {
        List<Attachment> attachments = new java.util.ArrayList<>();
        for (int i = 0; i < LoadedProgram.MAX_ATTACHMENTS + 3; i++) {
            attachments.add(new Attachment(new AttachTarget.Xdp("veth" + i, AttachTarget.Xdp.Mode.Generic),
                    Attachment.State.Attached, 100 + i, Optional.of(Path.of("/sys/fs/bpf/sigil/p/link_x-veth" + i)),
                    Optional.empty(), Optional.empty()));
        }
        attachments.add(new Attachment(new AttachTarget.Xdp("veth-gone", AttachTarget.Xdp.Mode.Generic),
                Attachment.State.Detached, 0, Optional.empty(), Optional.of(Attachment.INTERFACE_GONE),
                Optional.of("its interface is gone from the node")));
        attachments.add(new Attachment(new AttachTarget.Xdp("veth-bad", AttachTarget.Xdp.Mode.Generic),
                Attachment.State.Failed, 0, Optional.empty(), Optional.of("AttachFailed"), Optional.of("m".repeat(1000))));

        LoadedProgram program = StatusTranslation.program(new RunningProgram("xdp_count", 7, "00aa", attachments));

        assertThat(program.getLinkId()).as("the first attached link, as with one target").isEqualTo(100L);
        assertThat(program.getAttachedTo()).isEqualTo("Xdp(veth0, Generic)");
        assertThat(program.getAttachedCount()).isEqualTo(LoadedProgram.MAX_ATTACHMENTS + 3);
        assertThat(program.getAttachments()).hasSize(LoadedProgram.MAX_ATTACHMENTS);
        assertThat(program.getAttachmentsNotShown()).isEqualTo(5);
        assertThat(program.getAttachments().get(0).getState()).isEqualTo(AttachmentState.Detached);
        assertThat(program.getAttachments().get(0).getReason()).isEqualTo("InterfaceGone");
        assertThat(program.getAttachments().get(0).getLinkId()).isNull();
        assertThat(program.getAttachments().get(1).getState()).isEqualTo(AttachmentState.Failed);
        assertThat(program.getAttachments().get(1).getMessage()).hasSize(ProgramAttachment.MAX_MESSAGE);
        assertThat(program.getAttachments().get(2).getLinkId()).isEqualTo(100L);
    }

    @Test
    void aFailedReportCarriesItsReasonMessageAndVerifierLog() {
        ResourceReport report = new ResourceReport("counter", OptionalLong.empty(), Optional.empty(),
                ResourceReport.Phase.Failed, Instant.EPOCH, Optional.empty(), List.of(),
                Optional.of(new FailureCause.Kernel(FailureReason.ProgramLoadFailed)), Optional.of("refused"),
                Optional.of("R1 invalid mem access"));

        NodeProgramState state = StatusTranslation.state(report);

        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getGeneration()).isNull();
        assertThat(state.getReason()).isEqualTo("ProgramLoadFailed");
        assertThat(state.getVerifierLogTail()).isEqualTo("R1 invalid mem access");
        assertThat(state.getPrograms()).extracting(LoadedProgram::getName).isEmpty();
    }

    @Test
    void reasonsAreTheStatusReasonStrings() {
        for (FailureReason reason : FailureReason.values()) {
            assertThat(StatusTranslation.reason(new FailureCause.Kernel(reason))).isEqualTo(reason.name());
        }
        for (ReasonCode code : ReasonCode.values()) {
            assertThat(StatusTranslation.reason(new FailureCause.Untrusted(code))).isEqualTo(code.name());
        }
        assertThat(Arrays.stream(ResourceReport.Phase.values()).map(StatusTranslation::phase))
                .containsExactly(ProgramPhase.Attached, ProgramPhase.Failed, ProgramPhase.Unloading);
    }

    @Test
    void capabilitiesListEverySupportedAttachTypeByItsApiName() {
        KernelFeatures kernel = KernelFeatures.of("6.18.0", Support.supported(""), Support.supported(""),
                Support.supported(""), Support.unsupported("EOPNOTSUPP: no CONFIG_SYSTEM_DATA_VERIFICATION"),
                Support.supported(""), Map.of(AttachKind.Xdp, Support.supported(""), AttachKind.TpBtf,
                        Support.supported(""), AttachKind.Fentry, Support.unsupported("EPERM")));

        KernelCapabilities capabilities = StatusTranslation.capabilities(kernel);

        assertThat(capabilities.getRelease()).isEqualTo("6.18.0");
        assertThat(capabilities.isBpfUsable()).isTrue();
        assertThat(capabilities.getSignatureVerification())
                .isEqualTo("Unsupported: EOPNOTSUPP: no CONFIG_SYSTEM_DATA_VERIFICATION");
        assertThat(capabilities.getAttachTypes()).containsExactly("TpBtf", "Xdp");
    }
}
