package dev.sigil.agent.cluster;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.util.List;

/** What one reconcile pass does on the node: programs to hand to {@code ProgramHost.apply}, resources to unload. */
record NodePlan(List<SignedBpfProgram> toApply, List<String> toUnload) {
    NodePlan {
        toApply = List.copyOf(toApply);
        toUnload = List.copyOf(toUnload);
    }

    boolean isEmpty() {
        return toApply.isEmpty() && toUnload.isEmpty();
    }
}
