package dev.sigil.agent.failure;

/** Why a program failed on a node, beyond the signing library's verification reasons. */
public enum FailureReason {
    /** The kernel lacks something the program needs (bpf(), map hashes for the protocol, bpffs...). */
    KernelUnsupported,
    /** The resource asked for Kernel enforcement and this kernel cannot check BPF signatures. */
    EnforcementUnavailable,
    /** The signed loader ran and returned an error (e.g. -EBADMSG: the metadata hash did not match). */
    LoaderRejected,
    /** The verifier refused the loader or a program it loads; the verifier log tail says why. */
    ProgramLoadFailed,
    /** Attaching failed on a kernel that supports the attach type (bad target, busy interface...). */
    AttachFailed,
    /** The kernel does not support the attach type the resource asks for. */
    AttachUnsupported,
    /** Pinning under the bpffs directory failed. */
    PinFailed
}
