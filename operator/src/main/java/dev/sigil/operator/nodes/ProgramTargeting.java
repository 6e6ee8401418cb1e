package dev.sigil.operator.nodes;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.Node;

/** Which nodes a program is meant for: Linux nodes its selector matches (verified or not). */
public final class ProgramTargeting {
    private ProgramTargeting() {
    }

    /** False for a selector that cannot be evaluated: such a program targets nothing. */
    public static boolean targets(SignedBpfProgram program, Node node) {
        if (!Nodes.isLinux(node) || program.getSpec() == null) {
            return false;
        }
        try {
            return NodeSelector.of(program.getSpec().getNodeSelector()).matches(Nodes.labels(node));
        } catch (NodeSelector.InvalidNodeSelectorException e) {
            return false;
        }
    }
}
