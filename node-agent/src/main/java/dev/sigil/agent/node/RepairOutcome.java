package dev.sigil.agent.node;

import java.util.List;

/** What a drift check of one resource found and did. */
sealed interface RepairOutcome {

    /** Its links are attached and its pins and records in place. */
    record Intact() implements RepairOutcome {
    }

    /** Something had been detached or removed behind the agent's back and is back; each repair in words. */
    record Repaired(List<String> repairs) implements RepairOutcome {
        public Repaired {
            repairs = List.copyOf(repairs);
        }
    }

    /** The repair failed; what could not be put back is in the failure. */
    record RepairFailed(Failure failure) implements RepairOutcome {
    }
}
