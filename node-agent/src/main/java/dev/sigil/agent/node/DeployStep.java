package dev.sigil.agent.node;

/** The timed steps of a deploy, in the order they run. */
public enum DeployStep {
    /** Signature, chain, hashes, intent and attach points checked against the node's trust bundle. */
    Verification,
    /** The loader protocol: the metadata map created, the loader run, the program and map fds back. */
    Load,
    /** Attaching one program: its link created, or its running link moved onto it. */
    Attach,
    /** Pinning the links, maps and record of the new generation. */
    Pin
}
