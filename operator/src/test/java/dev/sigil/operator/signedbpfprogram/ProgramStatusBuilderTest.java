package dev.sigil.operator.signedbpfprogram;

import static dev.sigil.operator.NodeAgentFake.entry;
import static dev.sigil.operator.NodeAgentFake.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.status.FailingNode;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.crds.signedbpfprogram.status.StaleNode;
import dev.sigil.operator.conditions.ConditionType;
import dev.sigil.operator.conditions.ProgramConditions;
import dev.sigil.operator.conditions.ProgramHealth;
import dev.sigil.signing.SignerIdentity;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProgramStatusBuilderTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String HASH = "sha256:" + "ab".repeat(32);
    private static final VerificationOutcome VERIFIED = new VerificationOutcome.Verified(
            new SignerIdentity("CN=release", "0a0b", "cd".repeat(32), Instant.parse("2027-01-01T00:00:00Z")), HASH, true);
    private static final VerificationOutcome REVOKED = new VerificationOutcome.Rejected(
            "Revoked", "signer certificate cdcd... is revoked", Optional.of(HASH));

    private final ProgramStatusBuilder atT0 = new ProgramStatusBuilder(Clock.fixed(T0, ZoneOffset.UTC));
    private final ProgramStatusBuilder later =
            new ProgramStatusBuilder(Clock.fixed(T0.plus(Duration.ofMinutes(5)), ZoneOffset.UTC));

    @Test
    void countsOnlyTargetedNodesReportingTheCurrentGenerationAttached() {
        SignedBpfProgramStatus status = atT0.build(observation(3, VERIFIED, nodes("a", "b", "c"), Map.of(
                "a", entry("p", 3, ProgramPhase.Attached),
                "b", entry("p", 2, ProgramPhase.Attached),
                "c", entry("p", 3, ProgramPhase.Loaded),
                "untargeted", entry("p", 3, ProgramPhase.Attached))), null);

        assertThat(status.getObservedGeneration()).isEqualTo(3);
        assertThat(status.getTargetedNodes()).isEqualTo(3);
        assertThat(status.getAttachedNodes()).isEqualTo(1);
        assertThat(status.getFailedNodes()).isZero();
        assertThat(status.getLoaderHash()).isEqualTo(HASH);
        assertThat(status.getSigner().getSubject()).isEqualTo("CN=release");
        assertCondition(status, ConditionType.Verified, "True", "SignatureVerified");
        assertCondition(status, ConditionType.Ready, "False", "RollingOut");
        assertThat(condition(status, ConditionType.Ready).getMessage())
                .isEqualTo("generation 3 attached on 1 of 3 targeted nodes");
        assertCondition(status, ConditionType.Degraded, "False", "NoBpfFailures");
        assertThat(status.getConditions()).allSatisfy(condition -> {
            assertThat(condition.getObservedGeneration()).isEqualTo(3);
            assertThat(condition.getLastTransitionTime()).isEqualTo("2026-03-01T10:00:00Z");
        });
    }

    @Test
    void sumsThePodsOfTheAttachedNodesOfAProgramWithPodTargets() {
        NodeProgramState three = entry("p", 2, ProgramPhase.Attached);
        three.setAttachedPods(3);
        NodeProgramState none = entry("p", 2, ProgramPhase.Attached);
        none.setAttachedPods(0);
        NodeProgramState oldGeneration = entry("p", 1, ProgramPhase.Attached);
        oldGeneration.setAttachedPods(5);
        NodeProgramState untargeted = entry("p", 2, ProgramPhase.Attached);
        untargeted.setAttachedPods(7);
        SignedBpfProgramStatus status = atT0.build(observation(2, VERIFIED, nodes("a", "b", "c"), Map.of(
                "a", three, "b", none, "c", oldGeneration, "untargeted", untargeted)), null);

        assertThat(status.getAttachedNodes()).isEqualTo(2);
        assertThat(status.getAttachedPods()).as("nodes reporting the generation attached, targeted ones only").isEqualTo(3);
        assertThat(atT0.build(observation(1, VERIFIED, nodes("a"), Map.of("a", entry("p", 1, ProgramPhase.Attached))), null)
                .getAttachedPods()).as("no pod targets: no count").isNull();
    }

    @Test
    void readyWhenEveryTargetedNodeReportsTheGenerationAttached() {
        SignedBpfProgramStatus status = atT0.build(observation(1, VERIFIED, nodes("a", "b"), Map.of(
                "a", entry("p", 1, ProgramPhase.Attached),
                "b", entry("p", 1, ProgramPhase.Attached))), null);

        assertThat(status.getAttachedNodes()).isEqualTo(2);
        assertCondition(status, ConditionType.Ready, "True", "AllNodesAttached");
        assertThat(ProgramHealth.of(status)).isEqualTo(ProgramHealth.Ready);
    }

    @Test
    void rejectedProgramTargetsNothingWhateverNodesReport() {
        SignedBpfProgramStatus status = atT0.build(observation(1, REVOKED, nodes("a"), Map.of(
                "a", entry("p", 1, ProgramPhase.Attached))), null);

        assertThat(status.getTargetedNodes()).isZero();
        assertThat(status.getAttachedNodes()).isZero();
        assertThat(status.getSigner()).isNull();
        assertThat(status.getLoaderHash()).isEqualTo(HASH);
        assertCondition(status, ConditionType.Verified, "False", "Revoked");
        assertThat(condition(status, ConditionType.Verified).getMessage()).contains("is revoked");
        assertCondition(status, ConditionType.Ready, "False", "NotVerified");
        assertThat(ProgramHealth.of(status)).isEqualTo(ProgramHealth.Unverified);
    }

    @Test
    void failuresDegradeAndListAtMostTenNodesSortedByName() {
        Map<String, NodeProgramState> reports = new TreeMap<>();
        TreeSet<String> targeted = new TreeSet<>();
        IntStream.range(0, 12).forEach(i -> {
            String node = String.format("node-%02d", 11 - i);
            targeted.add(node);
            reports.put(node, failed("p", 1, "AttachFailed", "EPERM on " + node));
        });

        SignedBpfProgramStatus status = atT0.build(observation(1, VERIFIED, targeted, reports), null);

        assertThat(status.getFailedNodes()).isEqualTo(12);
        assertThat(status.getFailingNodes()).hasSize(SignedBpfProgramStatus.MAX_FAILING_NODES)
                .extracting(FailingNode::getNode)
                .startsWith("node-00", "node-01")
                .endsWith("node-09");
        assertThat(status.getFailingNodes().getFirst().getReason()).isEqualTo("AttachFailed");
        assertThat(status.getFailingNodes().getFirst().getMessage()).isEqualTo("EPERM on node-00");
        assertCondition(status, ConditionType.Ready, "False", "NodesFailed");
        assertCondition(status, ConditionType.Degraded, "True", "NodesFailed");
        assertThat(condition(status, ConditionType.Degraded).getMessage())
                .startsWith("12 targeted nodes failed: node-00 (AttachFailed), node-01 (AttachFailed)")
                .endsWith("and 2 more");
        assertThat(ProgramHealth.of(status)).isEqualTo(ProgramHealth.Degraded);
    }

    @Test
    void staleNodesCountSeparatelyAreNamedAndMakeReadinessUnknown() {
        Instant lastHeard = T0.minus(Duration.ofMinutes(7));
        SignedBpfProgramStatus status = atT0.build(new ProgramObservation(1, VERIFIED, nodes("a", "b", "c", "d"), Optional.empty(),
                Observations.reports(Map.of(
                        "a", entry("p", 1, ProgramPhase.Attached),
                        "b", entry("p", 1, ProgramPhase.Attached),
                        "c", failed("p", 1, "AttachFailed", "EBUSY"))),
                new TreeMap<>(Map.of("b", Optional.of(lastHeard), "c", Optional.of(lastHeard), "d", Optional.empty()))), null);

        assertThat(status.getTargetedNodes()).isEqualTo(4);
        assertThat(status.getAttachedNodes()).as("a stale node's last report no longer counts").isEqualTo(1);
        assertThat(status.getFailedNodes()).isZero();
        assertThat(status.getStaleNodes()).isEqualTo(3);
        assertThat(status.getStaleNodeReports()).extracting(StaleNode::getNode, StaleNode::getLastReportTime)
                .containsExactly(tuple("b", "2026-03-01T09:53:00Z"), tuple("c", "2026-03-01T09:53:00Z"), tuple("d", null));
        assertCondition(status, ConditionType.Ready, "Unknown", "NodesStale");
        assertThat(condition(status, ConditionType.Ready).getMessage()).isEqualTo("generation 1 attached on 1 of 4 targeted"
                + " nodes; 3 whose agents stopped reporting, state unknown: b (last report 2026-03-01T09:53:00Z),"
                + " c (last report 2026-03-01T09:53:00Z), d");
        assertCondition(status, ConditionType.Degraded, "False", "NoBpfFailures");
        assertThat(ProgramHealth.of(status)).isEqualTo(ProgramHealth.Pending);
    }

    @Test
    void aReportedFailureOutranksStalenessAndAtMostTenStaleNodesAreNamed() {
        TreeSet<String> targeted = nodes("failing");
        TreeMap<String, Optional<Instant>> stale = new TreeMap<>();
        IntStream.range(0, 12).forEach(i -> {
            targeted.add("silent-" + (char) ('a' + i));
            stale.put("silent-" + (char) ('a' + i), Optional.empty());
        });

        SignedBpfProgramStatus status = atT0.build(new ProgramObservation(1, VERIFIED, targeted, Optional.empty(),
                Observations.reports(Map.of("failing", failed("p", 1, "AttachFailed", "EBUSY"))), stale), null);

        assertThat(status.getStaleNodes()).isEqualTo(12);
        assertThat(status.getStaleNodeReports()).hasSize(SignedBpfProgramStatus.MAX_STALE_NODES)
                .extracting(StaleNode::getNode).startsWith("silent-a").endsWith("silent-j");
        assertCondition(status, ConditionType.Ready, "False", "NodesFailed");
        assertThat(condition(status, ConditionType.Ready).getMessage())
                .startsWith("1 of 13 targeted nodes failed generation 1; 12 whose agents stopped reporting")
                .endsWith("silent-j and 2 more");
        assertCondition(status, ConditionType.Degraded, "True", "NodesFailed");
    }

    @Test
    void failureReportedForAnOlderGenerationDoesNotCount() {
        SignedBpfProgramStatus status = atT0.build(observation(2, VERIFIED, nodes("a"), Map.of(
                "a", failed("p", 1, "AttachFailed", "old"))), null);

        assertThat(status.getFailedNodes()).isZero();
        assertCondition(status, ConditionType.Ready, "False", "RollingOut");
    }

    @Test
    void noMatchingNodeAndInvalidSelectorAreNotReady() {
        SignedBpfProgramStatus none = atT0.build(observation(1, VERIFIED, nodes(), Map.of()), null);
        SignedBpfProgramStatus invalid = atT0.build(Observations.observation(1, VERIFIED, nodes(),
                Optional.of("spec.nodeSelector.matchExpressions[0]: unknown operator 'Near'"), Map.of()), null);

        assertCondition(none, ConditionType.Ready, "False", "NoMatchingNodes");
        assertCondition(invalid, ConditionType.Ready, "False", "InvalidNodeSelector");
        assertThat(condition(invalid, ConditionType.Ready).getMessage()).contains("unknown operator 'Near'");
        assertThat(ProgramHealth.of(none)).isEqualTo(ProgramHealth.Pending);
    }

    @Test
    void lastTransitionTimeMovesOnlyWhenAConditionFlips() {
        ProgramObservation rollingOut = observation(1, VERIFIED, nodes("a"), Map.of());
        ProgramObservation attached = observation(1, VERIFIED, nodes("a"), Map.of("a", entry("p", 1, ProgramPhase.Attached)));
        SignedBpfProgramStatus first = atT0.build(rollingOut, null);

        SignedBpfProgramStatus second = later.build(attached, first);

        assertThat(condition(second, ConditionType.Verified).getLastTransitionTime()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(condition(second, ConditionType.Degraded).getLastTransitionTime()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(condition(second, ConditionType.Ready).getLastTransitionTime()).isEqualTo("2026-03-01T10:05:00Z");
    }

    @Test
    void rebuildingFromTheSameObservationIsUnchangedSoNoPatchIsSent() {
        ProgramObservation observation = observation(1, VERIFIED, nodes("a"), Map.of("a", entry("p", 1, ProgramPhase.Attached)));
        SignedBpfProgramStatus first = atT0.build(observation, null);

        assertThat(ProgramStatusBuilder.unchanged(first, later.build(observation, first))).isTrue();
        assertThat(ProgramStatusBuilder.unchanged(first, later.build(observation(1, REVOKED, nodes("a"), Map.of()), first)))
                .isFalse();
        assertThat(ProgramStatusBuilder.unchanged(null, first)).isFalse();
    }

    private static ProgramObservation observation(long generation, VerificationOutcome verification,
            TreeSet<String> targeted, Map<String, NodeProgramState> reports) {
        return Observations.observation(generation, verification, targeted, Optional.empty(), reports);
    }

    private static TreeSet<String> nodes(String... names) {
        return new TreeSet<>(java.util.List.of(names));
    }

    private static Condition condition(SignedBpfProgramStatus status, ConditionType type) {
        return ProgramConditions.find(status, type).orElseThrow();
    }

    private static void assertCondition(SignedBpfProgramStatus status, ConditionType type, String value, String reason) {
        Condition condition = condition(status, type);
        assertThat(condition.getStatus()).as(type + " status").isEqualTo(value);
        assertThat(condition.getReason()).as(type + " reason").isEqualTo(reason);
    }
}
