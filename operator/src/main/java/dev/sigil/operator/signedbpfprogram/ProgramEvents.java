package dev.sigil.operator.signedbpfprogram;

import dev.sigil.crds.signedbpfprogram.status.FailingNode;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.operator.conditions.ConditionType;
import dev.sigil.operator.conditions.ProgramConditions;
import dev.sigil.operator.events.EventReason;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Events a status change deserves. Derived from transitions only, so a reconcile that changes
 * nothing records nothing however often it runs.
 */
public final class ProgramEvents {
    public record ProgramEvent(EventReason reason, String message) {
    }

    private ProgramEvents() {
    }

    public static List<ProgramEvent> between(SignedBpfProgramStatus previous, SignedBpfProgramStatus next) {
        List<ProgramEvent> events = new ArrayList<>();
        boolean newGeneration = previous == null
                || !Objects.equals(previous.getObservedGeneration(), next.getObservedGeneration());
        long generation = next.getObservedGeneration();
        Condition verified = ProgramConditions.find(next, ConditionType.Verified).orElseThrow();
        Optional<Condition> verifiedBefore = ProgramConditions.find(previous, ConditionType.Verified);
        boolean verificationChanged = newGeneration || verifiedBefore.isEmpty()
                || !verifiedBefore.get().getStatus().equals(verified.getStatus())
                || !verifiedBefore.get().getReason().equals(verified.getReason());

        if (verificationChanged && "False".equals(verified.getStatus())) {
            events.add(new ProgramEvent(EventReason.VerificationFailed,
                    "generation " + generation + " not scheduled: " + verified.getReason() + ": " + verified.getMessage()));
        }
        if (verificationChanged && "True".equals(verified.getStatus())) {
            events.add(new ProgramEvent(EventReason.RolloutStarted, "generation " + generation + " verified ("
                    + verified.getMessage() + "); scheduling onto " + next.getTargetedNodes() + " targeted nodes"));
        }
        boolean ready = ProgramConditions.holds(next, ConditionType.Ready);
        if (ready && (newGeneration || !ProgramConditions.holds(previous, ConditionType.Ready))) {
            events.add(new ProgramEvent(EventReason.RolloutCompleted, "generation " + generation
                    + " attached on all " + next.getAttachedNodes() + " targeted nodes"));
        }
        Set<String> failingBefore = newGeneration ? Set.of() : previous.getFailingNodes().stream()
                .map(FailingNode::getNode)
                .collect(Collectors.toSet());
        for (FailingNode node : next.getFailingNodes()) {
            if (!failingBefore.contains(node.getNode())) {
                events.add(new ProgramEvent(EventReason.NodeFailed, "node " + node.getNode() + " failed generation "
                        + generation + ": " + node.getReason() + ": " + node.getMessage()));
            }
        }
        return events;
    }
}
