package dev.sigil.agent.loader;

import dev.sigil.agent.failure.FailureReason;
import dev.sigil.agent.failure.NodeFailure;
import dev.sigil.agent.kernel.KernelFeatures;
import dev.sigil.agent.kernel.Support;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;

/**
 * Turns the resource's requested enforcement and the kernel probe into what actually applies:
 * Kernel where asked (or Auto) and the kernel verifies signatures; Agent where the kernel runs
 * LoaderHashV1 but cannot verify; Compat where it has no map hashes (the agent strips the prologue).
 */
public final class EnforcementPolicy {
    private EnforcementPolicy() {
    }

    public static AppliedEnforcement decide(Enforcement requested, KernelFeatures kernel) throws NodeFailure {
        if (!kernel.bpf().isSupported()) {
            throw new NodeFailure(FailureReason.KernelUnsupported, "bpf() is not usable: " + kernel.bpf().describe());
        }
        boolean loaderHash = kernel.loaderHashV1().isSupported();
        boolean kernelChecks = loaderHash && kernel.signatureVerification().isSupported();
        return switch (requested) {
            case Kernel -> {
                if (!kernelChecks) {
                    Support missing = loaderHash ? kernel.signatureVerification() : kernel.loaderHashV1();
                    throw new NodeFailure(FailureReason.EnforcementUnavailable, "enforcement Kernel was requested but"
                            + " this kernel cannot verify BPF program signatures: " + missing.describe());
                }
                yield AppliedEnforcement.Kernel;
            }
            case Auto -> kernelChecks ? AppliedEnforcement.Kernel
                    : loaderHash ? AppliedEnforcement.Agent : AppliedEnforcement.Compat;
            case Agent -> loaderHash ? AppliedEnforcement.Agent : AppliedEnforcement.Compat;
        };
    }
}
