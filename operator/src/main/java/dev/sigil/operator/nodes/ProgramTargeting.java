package dev.sigil.operator.nodes;

import dev.sigil.api.NodeSelector;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.Node;

/** Which nodes a program is meant for: Linux nodes its selector matches (verified or not). */
public final class ProgramTargeting {
    private ProgramTargeting() {
    }

    /** False for a selector that cannot be evaluated: such a program targets nothing. */
    public static boolean targets(SignedBpfProgram program, Node node) {
        return NodeSelector.selects(program, Nodes.labels(node));
    }
}
