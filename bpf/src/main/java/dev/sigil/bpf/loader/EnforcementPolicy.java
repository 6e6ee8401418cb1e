package dev.sigil.bpf.loader;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.kernel.Support;

/**
 * Turns the requested enforcement and the kernel probe into what actually applies:
 * Kernel where asked (or Auto) and the kernel verifies signatures; Agent where the kernel runs
 * LoaderHashV1 but cannot verify; Compat where it has no map hashes (the agent strips the prologue).
 */
public final class EnforcementPolicy {
    private EnforcementPolicy() {
    }

    public static AppliedEnforcement decide(Enforcement requested, KernelFeatures kernel) throws BpfFailure {
        if (!kernel.bpf().isSupported()) {
            throw new BpfFailure(FailureReason.KernelUnsupported, "bpf() is not usable: " + kernel.bpf().describe());
        }
        boolean loaderHash = kernel.loaderHashV1().isSupported();
        boolean kernelChecks = loaderHash && kernel.signatureVerification().isSupported();
        return switch (requested) {
            case Kernel -> {
                if (!kernelChecks) {
                    Support missing = loaderHash ? kernel.signatureVerification() : kernel.loaderHashV1();
                    throw new BpfFailure(FailureReason.EnforcementUnavailable, "enforcement Kernel was requested but"
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
