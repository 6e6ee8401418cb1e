package dev.sigil.operator.nodes;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.operator.conditions.ProgramConditions;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.function.BiPredicate;

/**
 * Whether a node should carry {@code sigil.dev/agent=true} (and so run the agent). Only a program
 * verified for its current generation places the agent; a program whose new generation has no verdict
 * yet neither adds nor removes the label, so a spec edit never makes agents flap, and an unverified
 * generation is never what put an agent on a node. A node whose agent still reports programs loaded
 * keeps its agent even when nothing verified targets it any more: the agent is what unloads a revoked or
 * rejected program, and removing it first would leave that program attached with nobody watching it.
 */
public final class AgentPlacement {
    public enum Decision {
        Label,
        Unlabel,
        Keep
    }

    private AgentPlacement() {
    }

    /**
     * @param agentHoldsPrograms whether the node's agent reports any program that may still be in its kernel
     * @param targets whether a program is meant for a node (Linux, matched by its selector)
     */
    public static Decision decide(Node node, Collection<SignedBpfProgram> programs, boolean agentHoldsPrograms,
            BiPredicate<SignedBpfProgram, Node> targets) {
        boolean awaitingVerdict = false;
        for (SignedBpfProgram program : programs) {
            if (!targets.test(program, node)) {
                continue;
            }
            // A deleted program keeps its agents until its finalizer sees the nodes unload it.
            if (ProgramConditions.verifiedForCurrentGeneration(program)) {
                return Decision.Label;
            }
            awaitingVerdict |= ProgramConditions.awaitingVerdict(program);
        }
        return awaitingVerdict || agentHoldsPrograms ? Decision.Keep : Decision.Unlabel;
    }
}
