package dev.sigil.operator.events;

/** Every Event the operator records, with its Kubernetes event type. */
public enum EventReason {
    /** A program generation failed the operator's signature check; it is scheduled nowhere. */
    VerificationFailed(Type.Warning),
    /** A verified generation is being scheduled onto its nodes. */
    RolloutStarted(Type.Normal),
    /** Every targeted node reports the generation attached. */
    RolloutCompleted(Type.Normal),
    /** A targeted node reports the generation failed. */
    NodeFailed(Type.Warning),
    /** A deleted program was released before every node reported it unloaded. */
    DeletionTimedOut(Type.Warning);

    public enum Type {
        Normal,
        Warning
    }

    private final Type type;

    EventReason(Type type) {
        this.type = type;
    }

    public Type type() {
        return type;
    }
}
