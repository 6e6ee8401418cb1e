package dev.sigil.bpf.loader;

/** Who is asked to check a loader's signature; {@link EnforcementPolicy} turns it into an {@link AppliedEnforcement}. */
public enum Enforcement {
    /** The kernel where it can check signatures, else the agent. */
    Auto,
    /** The kernel checks the signature against the Sigil keyring; refused where it cannot. */
    Kernel,
    /** The agent's own verification is the gate; no signature is passed to the kernel. */
    Agent
}
