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

    /** What one program contributes to the decision on a node it targets (on any other node: {@code None}). */
    public enum Support {
        /** Verified for its current generation: the node gets the label. */
        Places,
        /** Its current generation awaits a verdict: the node keeps what it has. */
        Holds,
        None
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
            switch (support(program)) {
                case Places -> {
                    return Decision.Label;
                }
                case Holds -> awaitingVerdict = true;
                case None -> { }
            }
        }
        return awaitingVerdict || agentHoldsPrograms ? Decision.Keep : Decision.Unlabel;
    }

    public static Support support(SignedBpfProgram program) {
        if (ProgramConditions.verifiedForCurrentGeneration(program)) {
            return Support.Places;
        }
        return ProgramConditions.awaitingVerdict(program) ? Support.Holds : Support.None;
    }

    /**
     * Whether one program's support on a node going from {@code before} to {@code after} can change what the
     * node's label should be, whatever the other programs do: a node without the label can only gain it from a
     * program that comes to place it, and one with the label can only lose it when a program stops supporting it
     * at all (one that goes from placing to awaiting a verdict still holds it). So a program's new generation,
     * whose verdict is pending, and then its verdict, concern none of the nodes that are labelled already.
     */
    public static boolean canMove(boolean labelled, Support before, Support after) {
        return labelled ? before != Support.None && after == Support.None
                : after == Support.Places && before != Support.Places;
    }

    /**
     * Whether one program's change can move the label of some node that is labelled (or not, as {@code labelled}
     * says), whichever nodes its selector matched before and matches now: exactly when {@link #canMove} holds for
     * a node it matched both times, matched only before, or matched only now. With the same selector before and
     * after, a node is matched both times or neither. When this is false no such node need be looked at.
     */
    public static boolean canMoveSome(boolean labelled, Support before, Support after, boolean sameSelector) {
        if (sameSelector) {
            return canMove(labelled, before, after);
        }
        return canMove(labelled, before, after) || canMove(labelled, before, Support.None)
                || canMove(labelled, Support.None, after);
    }
}
