package dev.sigil.bpf.failure;

/** Why the kernel side failed a program (its signature was checked before: see the signing library's reasons). */
public enum FailureReason {
    /** The kernel lacks something the program needs (bpf(), map hashes for the protocol, bpffs...). */
    KernelUnsupported,
    /** Kernel enforcement was asked for and this kernel cannot check BPF signatures. */
    EnforcementUnavailable,
    /** The signed loader ran and returned an error (e.g. -EBADMSG: the metadata hash did not match). */
    LoaderRejected,
    /** The verifier refused the loader or a program it loads; the verifier log tail says why. */
    ProgramLoadFailed,
    /** Attaching failed on a kernel that supports the attach type (bad target, busy interface...). */
    AttachFailed,
    /** The kernel does not support the attach type asked for. */
    AttachUnsupported,
    /** Pinning under the bpffs directory failed. */
    PinFailed
}
