package dev.sigil.operator.nodes;

import dev.sigil.crds.BoundedText;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.status.FailingNode;

/**
 * What one node's agent says about one program, reduced to what the program's status is built from. A value:
 * two reports are equal exactly when the status they lead to is, so a node's new report changes only the
 * programs whose reports differ. Texts are already cut to the status's bounds.
 *
 * @param generation   the program generation the entry describes, if the agent said
 * @param attachedPods the pods of the node the programs are attached to, for a resource with pod targets
 */
public record ProgramReport(Long generation, ProgramPhase phase, String reason, String message, Integer attachedPods) {

    /** A report without pod targets. */
    public ProgramReport(Long generation, ProgramPhase phase, String reason, String message) {
        this(generation, phase, reason, message, null);
    }

    public static ProgramReport of(NodeProgramState entry) {
        return new ProgramReport(entry.getGeneration(), entry.getPhase(),
                BoundedText.cut(entry.getReason(), FailingNode.MAX_REASON),
                BoundedText.cut(entry.getMessage(), FailingNode.MAX_MESSAGE), entry.getAttachedPods());
    }

    /** The node reports this generation in this phase. */
    public boolean is(long currentGeneration, ProgramPhase expected) {
        return phase == expected && generation != null && generation == currentGeneration;
    }

    /** A failed load leaves nothing in the kernel; every other phase may still hold the program there. */
    public boolean mayBeLoaded() {
        return phase != ProgramPhase.Failed;
    }
}
