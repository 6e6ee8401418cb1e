package dev.sigil.operator.signedbpfprogram;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.crds.BoundedText;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.status.FailingNode;
import dev.sigil.crds.signedbpfprogram.status.IntentBinding;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.crds.signedbpfprogram.status.SignerStatus;
import dev.sigil.crds.signedbpfprogram.status.StaleNode;
import dev.sigil.operator.conditions.ConditionType;
import dev.sigil.operator.nodes.ProgramReport;
import dev.sigil.signing.SignerIdentity;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Folds one {@link ProgramObservation} into a program status: counts for the current generation,
 * Kubernetes-style conditions whose lastTransitionTime moves only when their status flips, and at
 * most {@link SignedBpfProgramStatus#MAX_FAILING_NODES} failing and {@link SignedBpfProgramStatus#MAX_STALE_NODES}
 * stale nodes. A stale node's last report no longer counts: it is neither attached nor failed, and while no node
 * fails it makes Ready Unknown. Pure apart from the clock.
 *
 * <p>Everything written fits the CRD's status schema, which the API server enforces on status patches:
 * text that comes from node agents or certificates is shortened to the schema's bounds.
 */
public final class ProgramStatusBuilder {
    /** The schema's bound on a condition message (crds: {@code SignedBpfProgramStatus}). */
    private static final int MAX_CONDITION_MESSAGE = 4096;
    /** The schema's bound on the signer's subject DN (crds: {@code SignerStatus}). */
    private static final int MAX_SIGNER_SUBJECT = 1024;
    private static final Pattern SUBJECT_KEY_ID = Pattern.compile("[0-9a-f]{2,128}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRUE = "True";
    private static final String FALSE = "False";
    private static final String UNKNOWN = "Unknown";

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
        List<String> stale = targeted.stream().filter(observation.staleNodes()::containsKey).toList();
        List<String> reporting = stale.isEmpty() ? targeted
                : targeted.stream().filter(node -> !observation.staleNodes().containsKey(node)).toList();
        List<String> attached = reporting.stream()
                .filter(node -> reports(observation, node, generation, ProgramPhase.Attached))
                .toList();
        List<FailingNode> failed = reporting.stream()
                .filter(node -> reports(observation, node, generation, ProgramPhase.Failed))
                .map(node -> failingNode(node, observation.reports().get(node)))
                .toList();
        status.setTargetedNodes(targeted.size());
        status.setAttachedNodes(attached.size());
        status.setAttachedPods(attachedPods(observation, attached));
        status.setFailedNodes(failed.size());
        status.setStaleNodes(stale.size());
        status.setFailingNodes(failed.stream().limit(SignedBpfProgramStatus.MAX_FAILING_NODES).toList());
        status.setStaleNodeReports(stale.stream().limit(SignedBpfProgramStatus.MAX_STALE_NODES)
                .map(node -> new StaleNode(node, observation.staleNodes().get(node).map(Instant::toString).orElse(null)))
                .toList());

        List<Condition> before = previous == null ? List.of() : previous.getConditions();
        Condition verifiedCondition = switch (observation.verification()) {
            case VerificationOutcome.Verified ok -> {
                status.setSigner(signerStatus(ok.signer()));
                status.setBinding(ok.bound() ? IntentBinding.Bound : IntentBinding.Unbound);
                yield ok.bound()
                        ? condition(ConditionType.Verified, TRUE, ProgramReason.SignatureVerified.name(),
                                "signed by " + ok.signer().subject() + "; loader " + ok.hash()
                                        + "; its signed intent binds programs, attach points, maps and enforcement",
                                generation, before)
                        : condition(ConditionType.Verified, TRUE, ProgramReason.VerifiedUnbound.name(),
                                "signed by " + ok.signer().subject() + "; loader " + ok.hash() + "; UNBOUND: no signed "
                                        + "intent, admitted because the trust bundle's unbound-programs says Admit, so "
                                        + "its attach points, maps and enforcement are nobody's signed decision",
                                generation, before);
            }
            case VerificationOutcome.Rejected rejected -> condition(ConditionType.Verified, FALSE, rejected.reason(),
                    rejected.message(), generation, before);
        };
        status.setConditions(List.of(
                verifiedCondition,
                readyCondition(observation, verifiedCondition, status, before),
                degradedCondition(generation, status.getFailingNodes(), failed.size(), before)));
        return status;
    }

    /** The attached nodes' pod counts summed; absent when no node counts pods (the program has no pod targets). */
    private static Integer attachedPods(ProgramObservation observation, List<String> attachedNodes) {
        List<Integer> counts = attachedNodes.stream().map(node -> observation.reports().get(node).attachedPods())
                .filter(java.util.Objects::nonNull).toList();
        return counts.isEmpty() ? null : (int) Math.min(Integer.MAX_VALUE,
                counts.stream().mapToLong(Integer::longValue).sum());
    }

    private Condition readyCondition(ProgramObservation observation, Condition verified, SignedBpfProgramStatus counts,
            List<Condition> before) {
        long generation = observation.generation();
        int targeted = counts.getTargetedNodes();
        int attached = counts.getAttachedNodes();
        int failed = counts.getFailedNodes();
        int stale = counts.getStaleNodes();
        if (!"True".equals(verified.getStatus())) {
            return condition(ConditionType.Ready, FALSE, ProgramReason.NotVerified.name(),
                    "not scheduled on any node: verification failed (" + verified.getReason() + ")", generation, before);
        }
        Optional<String> selectorError = observation.selectorError();
        if (selectorError.isPresent()) {
            return condition(ConditionType.Ready, FALSE, ProgramReason.InvalidNodeSelector.name(),
                    selectorError.get(), generation, before);
        }
        if (targeted == 0) {
            return condition(ConditionType.Ready, FALSE, ProgramReason.NoMatchingNodes.name(),
                    "no Linux node matches spec.nodeSelector", generation, before);
        }
        String staleNote = stale == 0 ? "" : "; " + staleNodes(counts);
        if (failed > 0) {
            return condition(ConditionType.Ready, FALSE, ProgramReason.NodesFailed.name(),
                    failed + " of " + targeted + " targeted nodes failed generation " + generation + staleNote,
                    generation, before);
        }
        if (stale > 0) {
            return condition(ConditionType.Ready, UNKNOWN, ProgramReason.NodesStale.name(), "generation " + generation
                    + " attached on " + attached + " of " + targeted + " targeted nodes" + staleNote, generation, before);
        }
        if (attached == targeted) {
            return condition(ConditionType.Ready, TRUE, ProgramReason.AllNodesAttached.name(),
                    "generation " + generation + " attached on all " + targeted + " targeted nodes", generation, before);
        }
        return condition(ConditionType.Ready, FALSE, ProgramReason.RollingOut.name(),
                "generation " + generation + " attached on " + attached + " of " + targeted + " targeted nodes",
                generation, before);
    }

    private static String staleNodes(SignedBpfProgramStatus counts) {
        String nodes = counts.getStaleNodeReports().stream()
                .map(node -> node.getLastReportTime() == null ? node.getNode()
                        : node.getNode() + " (last report " + node.getLastReportTime() + ")")
                .collect(Collectors.joining(", "));
        int more = counts.getStaleNodes() - counts.getStaleNodeReports().size();
        return counts.getStaleNodes() + " whose agents stopped reporting, state unknown: " + nodes
                + (more > 0 ? " and " + more + " more" : "");
    }

    private Condition degradedCondition(long generation, List<FailingNode> listed, int failed, List<Condition> before) {
        if (failed == 0) {
            return condition(ConditionType.Degraded, FALSE, ProgramReason.NoBpfFailures.name(),
                    "no targeted node reports a failure", generation, before);
        }
        String nodes = listed.stream()
                .map(node -> node.getReason() == null ? node.getNode() : node.getNode() + " (" + node.getReason() + ")")
                .collect(Collectors.joining(", "));
        String more = failed > listed.size() ? " and " + (failed - listed.size()) + " more" : "";
        return condition(ConditionType.Degraded, TRUE, ProgramReason.NodesFailed.name(),
                failed + " targeted nodes failed: " + nodes + more, generation, before);
    }

    private Condition condition(ConditionType type, String status, String reason, String message, long generation,
            List<Condition> before) {
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
                .withMessage(BoundedText.cut(message, MAX_CONDITION_MESSAGE))
                .withObservedGeneration(generation)
                .withLastTransitionTime(lastTransitionTime)
                .build();
    }

    private static boolean reports(ProgramObservation observation, String node, long generation, ProgramPhase phase) {
        ProgramReport report = observation.reports().get(node);
        return report != null && report.is(generation, phase);
    }

    private static FailingNode failingNode(String node, ProgramReport report) {
        return new FailingNode(node, report.reason(), report.message());
    }

    private static SignerStatus signerStatus(SignerIdentity signer) {
        String subjectKeyId = signer.subjectKeyId().toLowerCase(Locale.ROOT);
        return new SignerStatus(
                BoundedText.cut(signer.subject(), MAX_SIGNER_SUBJECT),
                // Without the extension (or with one over 64 bytes) there is no key id the schema admits: none is shown.
                SUBJECT_KEY_ID.matcher(subjectKeyId).matches() ? subjectKeyId : null,
                signer.fingerprintSha256().toLowerCase(Locale.ROOT),
                signer.notAfter().toString());
    }

    /** Statuses compare by content (the model classes have no equals); an unchanged status is not patched. */
    public static boolean unchanged(SignedBpfProgramStatus previous, SignedBpfProgramStatus next) {
        return previous != null && JSON.valueToTree(previous).equals(JSON.valueToTree(next));
    }
}
