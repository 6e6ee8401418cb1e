package dev.sigil.operator.signedbpfprogram;

/**
 * Condition reasons the operator writes besides the signing library's {@code ReasonCode}s (which
 * become the Verified condition's reason when verification fails).
 */
public enum ProgramReason {
    /** Verified=True: the signature checks out against a trusted, unrevoked signer, and its signed intent binds the resource. */
    SignatureVerified,
    /** Verified=True without a signed intent: the trust bundle admits unbound programs; nothing signed binds where it runs. */
    VerifiedUnbound,
    /** Verified=False: the trust ConfigMap is missing or unreadable, so nothing can verify. */
    TrustBundleUnavailable,
    /** Ready=False: verification failed, so no node is targeted. */
    NotVerified,
    /** Ready=False: spec.nodeSelector cannot be evaluated. */
    InvalidNodeSelector,
    /** Ready=False: no Linux node matches the selector. */
    NoMatchingNodes,
    /** Ready=False: some targeted nodes have not reported this generation attached yet. */
    RollingOut,
    /** Ready=True: every targeted node reports this generation attached. */
    AllNodesAttached,
    /** Ready=False and Degraded=True: at least one targeted node reports this generation failed. */
    NodesFailed,
    /**
     * Ready=Unknown: some targeted nodes' agents have stopped reporting (as a Node's Ready goes Unknown when its
     * kubelet stops posting status), so whether the program runs there is unknown; no node reports a failure.
     */
    NodesStale,
    /** Degraded=False. */
    NoBpfFailures
}
