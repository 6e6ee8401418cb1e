package dev.sigil.bpf.loader;

/** Which check actually gated a load. */
public enum AppliedEnforcement {
    /** The kernel verified the signature against the Sigil keyring. */
    Kernel,
    /** The agent verified the signature; the kernel enforced the metadata hash through the loader. */
    Agent,
    /** Kernel without map hashes: the agent verified, stripped the prologue and ran the bare loader. */
    Compat
}
