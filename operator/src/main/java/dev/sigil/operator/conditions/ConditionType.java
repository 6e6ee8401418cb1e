package dev.sigil.operator.conditions;

/** The conditions on a SignedBpfProgram, in the order the status lists them. */
public enum ConditionType {
    /** The operator's own signature check passed for the current generation. */
    Verified,
    /** Every targeted node reports the current generation attached. */
    Ready,
    /** At least one targeted node reports the current generation failed. */
    Degraded
}
