package dev.sigil.agent.translate;

import dev.sigil.bpf.attach.AttachKind;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import java.util.Arrays;
import java.util.Comparator;

/**
 * From the kernel library to the API's status: enforcement applied, failure reasons as the status's
 * CamelCase reason strings, the kernel's capabilities. Pure.
 */
public final class StatusTranslation {
    private StatusTranslation() {
    }

    public static dev.sigil.crds.bpfnodestate.status.AppliedEnforcement enforcement(AppliedEnforcement applied) {
        return switch (applied) {
            case Kernel -> dev.sigil.crds.bpfnodestate.status.AppliedEnforcement.Kernel;
            case Agent -> dev.sigil.crds.bpfnodestate.status.AppliedEnforcement.Agent;
            case Compat -> dev.sigil.crds.bpfnodestate.status.AppliedEnforcement.Compat;
        };
    }

    /** The status's reason string for a kernel-side failure (verification failures use the signing reason's name). */
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
