package dev.sigil.operator.signedbpfprogram;

import static dev.sigil.operator.NodeAgentFake.entry;
import static dev.sigil.operator.NodeAgentFake.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramDeletionTest {
    private static final Instant DELETED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Test
    void releasesWhenNoNodeHoldsTheProgram() {
        assertThat(ProgramDeletion.decide(DELETED, Map.of(), TIMEOUT, DELETED))
                .isInstanceOf(ProgramDeletion.Release.class);
        assertThat(ProgramDeletion.decide(DELETED, Observations.reports(Map.of("a", failed("p", 1, "AttachFailed", "x"))), TIMEOUT,
                DELETED))
                .as("a failed load leaves nothing loaded")
                .isInstanceOf(ProgramDeletion.Release.class);
    }

    @Test
    void waitsForTheRemainingTimeWhileNodesStillHoldIt() {
        var decision = ProgramDeletion.decide(DELETED, Observations.reports(Map.of(
                "b", entry("p", 1, ProgramPhase.Unloading),
                "a", entry("p", 1, ProgramPhase.Attached))), TIMEOUT, DELETED.plusSeconds(60));

        assertThat(decision).isEqualTo(new ProgramDeletion.Wait(new java.util.TreeSet<>(java.util.List.of("a", "b")),
                Duration.ofMinutes(4)));
    }

    @Test
    void givesUpAtTheTimeoutNamingTheNodes() {
        var decision = ProgramDeletion.decide(DELETED, Observations.reports(Map.of("a", entry("p", 1, ProgramPhase.Attached))),
                TIMEOUT, DELETED.plus(TIMEOUT));

        assertThat(decision).isInstanceOfSatisfying(ProgramDeletion.GiveUp.class, giveUp -> {
            assertThat(giveUp.nodes()).containsExactly("a");
            assertThat(giveUp.waited()).isEqualTo(TIMEOUT);
        });
    }
}
