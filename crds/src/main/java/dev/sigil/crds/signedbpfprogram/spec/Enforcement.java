package dev.sigil.crds.signedbpfprogram.spec;

/** Who checks the signature on a node. */
public enum Enforcement {
    /** Kernel where the node's probe says in-kernel verification works, else Agent. */
    Auto,
    /** The kernel checks the signature against a Sigil keyring; nodes that cannot do so refuse the program. */
    Kernel,
    /** The node agent's own verification is the gate; no signature is passed to the kernel. */
    Agent
}
