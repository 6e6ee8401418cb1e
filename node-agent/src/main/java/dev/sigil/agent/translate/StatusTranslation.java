package dev.sigil.agent.translate;

import dev.sigil.agent.node.Attachment;
import dev.sigil.agent.node.FailureCause;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.node.RunningProgram;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.crds.BoundedText;
import dev.sigil.crds.bpfnodestate.status.AttachmentState;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramAttachment;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.signing.ReasonCode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * From the agent and the kernel library to the API's status: a host's report as the node's entry for
 * the resource, enforcement applied, failure causes as the status's CamelCase reason strings, the
 * kernel's capabilities. Pure: status objects are built here from reports, never read back.
 */
public final class StatusTranslation {
    private StatusTranslation() {
    }

    /** The BpfNodeState entry of one resource, as the host reports it. */
    public static NodeProgramState state(ResourceReport report) {
        NodeProgramState state = new NodeProgramState();
        state.setName(report.name());
        state.setGeneration(report.generation().isPresent() ? report.generation().getAsLong() : null);
        state.setLoaderHash(report.loaderHash().orElse(null));
        state.setPhase(phase(report.phase()));
        state.setEnforcement(report.enforcement().map(StatusTranslation::enforcement).orElse(null));
        state.setPrograms(report.programs().stream().map(StatusTranslation::program).toList());
        state.setReason(report.cause().map(StatusTranslation::reason).orElse(null));
        // Cut to the schema's bounds, which keep a node's whole report within one API request.
        state.setMessage(BoundedText.cut(report.message().orElse(null), NodeProgramState.MAX_MESSAGE));
        state.setVerifierLogTail(BoundedText.tail(report.verifierLogTail().orElse(null),
                NodeProgramState.MAX_VERIFIER_LOG_TAIL));
        state.setLastTransitionTime(report.since().toString());
        return state;
    }

    public static ProgramPhase phase(ResourceReport.Phase phase) {
        return switch (phase) {
            case Attached -> ProgramPhase.Attached;
            case Failed -> ProgramPhase.Failed;
            case Unloaded -> ProgramPhase.Unloading;
        };
    }

    /**
     * The program with its first attached link as before several were possible; its attachments listed when it has any
     * but exactly one attached target (failed and detached ones first, as they are the news), at most
     * {@link LoadedProgram#MAX_ATTACHMENTS}, the rest counted.
     */
    static LoadedProgram program(RunningProgram program) {
        LoadedProgram loaded = new LoadedProgram();
        loaded.setName(program.name());
        loaded.setProgramId((long) program.programId());
        loaded.setTag(program.tag());
        List<Attachment> attached = program.attached();
        if (!attached.isEmpty()) {
            Attachment first = attached.getFirst();
            loaded.setLinkId((long) first.linkId());
            loaded.setAttachedTo(first.target().describe());
            loaded.setPinPath(first.pin().map(Path::toString).orElse(null));
        }
        loaded.setAttachedCount(attached.size());
        if (attached.size() == 1 && program.attachments().size() == 1) {
            return loaded;
        }
        List<Attachment> newsFirst = program.attachments().stream()
                .sorted(Comparator.comparing(attachment -> attachment.state() == Attachment.State.Attached)).toList();
        loaded.setAttachments(newsFirst.stream().limit(LoadedProgram.MAX_ATTACHMENTS)
                .map(StatusTranslation::attachment).toList());
        loaded.setAttachmentsNotShown(Math.max(0, newsFirst.size() - LoadedProgram.MAX_ATTACHMENTS));
        return loaded;
    }

    private static ProgramAttachment attachment(Attachment attachment) {
        ProgramAttachment entry = new ProgramAttachment();
        entry.setTarget(attachment.target().describe());
        entry.setState(switch (attachment.state()) {
            case Attached -> AttachmentState.Attached;
            case Failed -> AttachmentState.Failed;
            case Detached -> AttachmentState.Detached;
        });
        entry.setLinkId(attachment.state() == Attachment.State.Attached ? (long) attachment.linkId() : null);
        entry.setReason(attachment.reason().orElse(null));
        entry.setMessage(BoundedText.cut(attachment.message().orElse(null), ProgramAttachment.MAX_MESSAGE));
        return entry;
    }

    /**
     * The status's reason string: the signing library's reason for a resource that did not verify, the kernel's for
     * what the kernel side could not do, {@code InvalidResource} for a resource that breaks the API's rules, and
     * {@code AgentError} for an exception the agent did not expect.
     */
    public static String reason(FailureCause cause) {
        return switch (cause) {
            case FailureCause.Untrusted(ReasonCode code) -> code.name();
            case FailureCause.Kernel(FailureReason reason) -> reason(reason);
            case FailureCause.Invalid invalid -> invalid.toString();
            case FailureCause.Unexpected unexpected -> unexpected.toString();
        };
    }

    public static dev.sigil.crds.bpfnodestate.status.AppliedEnforcement enforcement(AppliedEnforcement applied) {
        return switch (applied) {
            case Kernel -> dev.sigil.crds.bpfnodestate.status.AppliedEnforcement.Kernel;
            case Agent -> dev.sigil.crds.bpfnodestate.status.AppliedEnforcement.Agent;
            case Compat -> dev.sigil.crds.bpfnodestate.status.AppliedEnforcement.Compat;
        };
    }

    /** The status's reason string for a kernel-side failure. */
    public static String reason(FailureReason reason) {
        return switch (reason) {
            case KernelUnsupported -> "KernelUnsupported";
            case EnforcementUnavailable -> "EnforcementUnavailable";
            case LoaderRejected -> "LoaderRejected";
            case ProgramLoadFailed -> "ProgramLoadFailed";
            case AttachFailed -> "AttachFailed";
            case AttachUnsupported -> "AttachUnsupported";
            case PinFailed -> "PinFailed";
        };
    }

    public static AttachType attachType(AttachKind kind) {
        return switch (kind) {
            case RawTracepoint -> AttachType.RawTracepoint;
            case TpBtf -> AttachType.TpBtf;
            case Xdp -> AttachType.Xdp;
            case Tcx -> AttachType.Tcx;
            case Cgroup -> AttachType.Cgroup;
            case Fentry -> AttachType.Fentry;
            case Fexit -> AttachType.Fexit;
            case Lsm -> AttachType.Lsm;
            case Kprobe -> AttachType.Kprobe;
            case Tracepoint -> AttachType.Tracepoint;
            case Uprobe -> AttachType.Uprobe;
            case Uretprobe -> AttachType.Uretprobe;
            case SkLookup -> AttachType.SkLookup;
        };
    }

    /** What BpfNodeState reports about the kernel: every capability, probed now if not yet. */
    public static KernelCapabilities capabilities(KernelFeatures kernel) {
        KernelCapabilities capabilities = new KernelCapabilities();
        capabilities.setRelease(kernel.release());
        capabilities.setBpfUsable(kernel.bpf().isSupported());
        capabilities.setExclusiveMaps(kernel.exclusiveMaps().isSupported());
        capabilities.setMapHashes(kernel.mapHashes().isSupported());
        capabilities.setSignatureVerification(kernel.signatureVerification().isSupported()
                ? "Supported" : kernel.signatureVerification().describe());
        capabilities.setBpffsMounted(kernel.bpffs().isSupported());
        capabilities.setAttachTypes(Arrays.stream(AttachKind.values())
                .filter(kind -> kernel.attach(kind).isSupported())
                .map(StatusTranslation::attachType)
                .sorted(Comparator.comparing(AttachType::name))
                .map(AttachType::name)
                .toList());
        return capabilities;
    }
}
