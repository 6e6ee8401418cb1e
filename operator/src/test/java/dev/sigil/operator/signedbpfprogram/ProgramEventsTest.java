package dev.sigil.operator.signedbpfprogram;

import static dev.sigil.operator.NodeAgentFake.entry;
import static dev.sigil.operator.NodeAgentFake.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.operator.events.EventReason;
import dev.sigil.operator.signedbpfprogram.ProgramEvents.ProgramEvent;
import dev.sigil.signing.SignerIdentity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ProgramEventsTest {
    private static final VerificationOutcome VERIFIED = new VerificationOutcome.Verified(
            new SignerIdentity("CN=release", "0a", "cd".repeat(32), Instant.parse("2027-01-01T00:00:00Z")), "sha256:" + "ab".repeat(32), true);
    private static final VerificationOutcome TAMPERED = new VerificationOutcome.Rejected(
            "SignatureInvalid", "the signature does not match the loader", Optional.empty());
    private final ProgramStatusBuilder builder =
            new ProgramStatusBuilder(Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void firstVerdictStartsTheRolloutOrReportsTheFailure() {
        assertThat(reasons(ProgramEvents.between(null, status(1, VERIFIED, Map.of()))))
                .containsExactly(EventReason.RolloutStarted);
        List<ProgramEvent> rejected = ProgramEvents.between(null, status(1, TAMPERED, Map.of()));
        assertThat(reasons(rejected)).containsExactly(EventReason.VerificationFailed);
        assertThat(rejected.getFirst().message()).contains("SignatureInvalid").contains("does not match");
    }

    @Test
    void unchangedVerdictRecordsNothingAgain() {
        SignedBpfProgramStatus rejected = status(1, TAMPERED, Map.of());
        assertThat(ProgramEvents.between(rejected, status(1, TAMPERED, Map.of()))).isEmpty();
        SignedBpfProgramStatus rolling = status(1, VERIFIED, Map.of());
        assertThat(ProgramEvents.between(rolling, status(1, VERIFIED, Map.of()))).isEmpty();
    }

    @Test
    void completionAndEachNewlyFailingNodeAreRecordedOnce() {
        SignedBpfProgramStatus rolling = status(1, VERIFIED, Map.of());
        SignedBpfProgramStatus ready = status(1, VERIFIED, Map.of(
                "a", entry("p", 1, ProgramPhase.Attached), "b", entry("p", 1, ProgramPhase.Attached)));
        assertThat(reasons(ProgramEvents.between(rolling, ready))).containsExactly(EventReason.RolloutCompleted);

        SignedBpfProgramStatus oneFailed = status(1, VERIFIED, Map.of(
                "a", failed("p", 1, "AttachFailed", "EPERM"), "b", entry("p", 1, ProgramPhase.Attached)));
        List<ProgramEvent> failure = ProgramEvents.between(ready, oneFailed);
        assertThat(reasons(failure)).containsExactly(EventReason.NodeFailed);
        assertThat(failure.getFirst().message()).contains("node a").contains("AttachFailed").contains("EPERM");

        SignedBpfProgramStatus stillFailed = status(1, VERIFIED, Map.of(
                "a", failed("p", 1, "AttachFailed", "EPERM"), "b", entry("p", 1, ProgramPhase.Loaded)));
        assertThat(ProgramEvents.between(oneFailed, stillFailed)).isEmpty();
    }

    @Test
    void revocationOfAVerifiedProgramIsAVerificationFailure() {
        SignedBpfProgramStatus verified = status(1, VERIFIED, Map.of());
        VerificationOutcome revoked = new VerificationOutcome.Rejected("Revoked", "loader is revoked", Optional.empty());
        assertThat(reasons(ProgramEvents.between(verified, status(1, revoked, Map.of()))))
                .containsExactly(EventReason.VerificationFailed);
    }

    private SignedBpfProgramStatus status(long generation, VerificationOutcome verification,
            Map<String, NodeProgramState> reports) {
        return builder.build(Observations.observation(generation, verification, new TreeSet<>(List.of("a", "b")),
                Optional.empty(), reports), null);
    }

    private static List<EventReason> reasons(List<ProgramEvent> events) {
        return events.stream().map(ProgramEvent::reason).toList();
    }
}
