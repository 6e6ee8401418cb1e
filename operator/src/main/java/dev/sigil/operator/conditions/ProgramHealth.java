package dev.sigil.operator.conditions;

import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;

/** One word per program for dashboards, derived from its conditions. */
public enum ProgramHealth {
    /** Verified=False: scheduled nowhere. */
    Unverified,
    /** Verified, not yet attached everywhere it should be, nothing failed. */
    Pending,
    /** Ready=True. */
    Ready,
    /** Degraded=True. */
    Degraded;

    public static ProgramHealth of(SignedBpfProgramStatus status) {
        if (!ProgramConditions.holds(status, ConditionType.Verified)) {
            return Unverified;
        }
        if (ProgramConditions.holds(status, ConditionType.Degraded)) {
            return Degraded;
        }
        return ProgramConditions.holds(status, ConditionType.Ready) ? Ready : Pending;
    }
}
