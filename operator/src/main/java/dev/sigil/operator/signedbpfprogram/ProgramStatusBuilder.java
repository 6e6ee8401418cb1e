package dev.sigil.operator.signedbpfprogram;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.status.FailingNode;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Folds one {@link ProgramObservation} into a program status: counts for the current generation,
 * Kubernetes-style conditions whose lastTransitionTime moves only when their status flips, and at
 * most {@link SignedBpfProgramStatus#MAX_FAILING_NODES} failing nodes. Pure apart from the clock.
 */
public final class ProgramStatusBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    public ProgramStatusBuilder(Clock clock) {
        this.clock = clock;
    }

    public SignedBpfProgramStatus build(ProgramObservation observation, SignedBpfProgramStatus previous) {
        long generation = observation.generation();
        SignedBpfProgramStatus status = new SignedBpfProgramStatus();
        status.setObservedGeneration(generation);
        status.setLoaderHash(observation.verification().loaderHash().orElse(null));

        boolean verified = observation.verification() instanceof VerificationOutcome.Verified;
        List<String> targeted = verified ? List.copyOf(observation.targetedNodes()) : List.of();
        List<String> attached = targeted.stream()
                .filter(node -> reports(observation, node, generation, ProgramPhase.Attached))
                .toList();
        List<FailingNode> failed = targeted.stream()
                .filter(node -> reports(observation, node, generation, ProgramPhase.Failed))
                .map(node -> failingNode(node, observation.reports().get(node)))
                .toList();
        status.setTargetedNodes(targeted.size());
        status.setAttachedNodes(attached.size());
        status.setFailedNodes(failed.size());
        status.setFailingNodes(failed.stream().limit(SignedBpfProgramStatus.MAX_FAILING_NODES).toList());

        List<Condition> before = previous == null ? List.of() : previous.getConditions();
        Condition verifiedCondition = switch (observation.verification()) {
            case VerificationOutcome.Verified ok -> {
                status.setSigner(ok.signer());
                yield condition(ConditionType.Verified, true, ProgramReason.SignatureVerified.name(),
                        "signed by " + ok.signer().getSubject() + "; loader " + ok.hash(), generation, before);
            }
            case VerificationOutcome.Rejected rejected -> condition(ConditionType.Verified, false, rejected.reason(),
                    rejected.message(), generation, before);
        };
        status.setConditions(List.of(
                verifiedCondition,
                readyCondition(observation, verifiedCondition, targeted.size(), attached.size(), failed.size(), before),
                degradedCondition(generation, status.getFailingNodes(), failed.size(), before)));
        return status;
    }

    private Condition readyCondition(ProgramObservation observation, Condition verified, int targeted, int attached,
            int failed, List<Condition> before) {
        long generation = observation.generation();
        if (!"True".equals(verified.getStatus())) {
            return condition(ConditionType.Ready, false, ProgramReason.NotVerified.name(),
                    "not scheduled on any node: verification failed (" + verified.getReason() + ")", generation, before);
        }
        Optional<String> selectorError = observation.selectorError();
        if (selectorError.isPresent()) {
            return condition(ConditionType.Ready, false, ProgramReason.InvalidNodeSelector.name(),
                    selectorError.get(), generation, before);
        }
        if (targeted == 0) {
            return condition(ConditionType.Ready, false, ProgramReason.NoMatchingNodes.name(),
                    "no Linux node matches spec.nodeSelector", generation, before);
        }
        if (failed > 0) {
            return condition(ConditionType.Ready, false, ProgramReason.NodesFailed.name(),
                    failed + " of " + targeted + " targeted nodes failed generation " + generation, generation, before);
        }
        if (attached == targeted) {
            return condition(ConditionType.Ready, true, ProgramReason.AllNodesAttached.name(),
                    "generation " + generation + " attached on all " + targeted + " targeted nodes", generation, before);
        }
        return condition(ConditionType.Ready, false, ProgramReason.RollingOut.name(),
                "generation " + generation + " attached on " + attached + " of " + targeted + " targeted nodes",
                generation, before);
    }

    private Condition degradedCondition(long generation, List<FailingNode> listed, int failed, List<Condition> before) {
        if (failed == 0) {
            return condition(ConditionType.Degraded, false, ProgramReason.NoNodeFailures.name(),
                    "no targeted node reports a failure", generation, before);
        }
        String nodes = listed.stream()
                .map(node -> node.getNode() + " (" + node.getReason() + ")")
                .collect(Collectors.joining(", "));
        String more = failed > listed.size() ? " and " + (failed - listed.size()) + " more" : "";
        return condition(ConditionType.Degraded, true, ProgramReason.NodesFailed.name(),
                failed + " targeted nodes failed: " + nodes + more, generation, before);
    }

    private Condition condition(ConditionType type, boolean holds, String reason, String message, long generation,
            List<Condition> before) {
        String status = holds ? "True" : "False";
        String lastTransitionTime = before.stream()
                .filter(existing -> type.name().equals(existing.getType()) && status.equals(existing.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(time -> time != null)
                .findFirst()
                .orElseGet(() -> DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        return new ConditionBuilder()
                .withType(type.name())
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(lastTransitionTime)
                .build();
    }

    private static boolean reports(ProgramObservation observation, String node, long generation, ProgramPhase phase) {
        NodeProgramState state = observation.reports().get(node);
        return state != null && state.getPhase() == phase && state.getGeneration() != null
                && state.getGeneration() == generation;
    }

    private static FailingNode failingNode(String node, NodeProgramState state) {
        return new FailingNode(node, state.getReason(), state.getMessage());
    }

    /** Statuses compare by content (the model classes have no equals); an unchanged status is not patched. */
    public static boolean unchanged(SignedBpfProgramStatus previous, SignedBpfProgramStatus next) {
        return previous != null && JSON.valueToTree(previous).equals(JSON.valueToTree(next));
    }
}
