package dev.sigil.agent.cluster;

import static dev.sigil.agent.testing.TestPrograms.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigil.crds.EventLimiter;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.signing.testing.MovableClock;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's Events against the strict mock API server, which refuses them outside {@code default}. */
class AgentEventsIT {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T05:00:00Z"));
    private final EventLimiter limiter = new EventLimiter(clock, 3, Duration.ofMinutes(5));
    private MockApiServer api;
    private SignedBpfProgram counter;

    @BeforeEach
    void startApiServer() {
        api = MockApiServer.start();
        counter = api.client().resource(program("counter", "loader v1", null)).create();
    }

    @AfterEach
    void stopApiServer() {
        api.close();
    }

    @Test
    void aCrashLoopWritesABurstThenCountsInOneEventAcrossRestarts() {
        try (AgentEvents events = new AgentEvents(api.client(), "node-a", clock, limiter)) {
            for (int i = 0; i < 20; i++) {
                events.record(counter, AgentEvents.Reason.LoadFailed, "ProgramLoadFailed: attempt " + i);
            }
        }

        Event event = onlyEvent();
        assertThat(event.getCount()).as("three writes passed the limiter, seventeen were held back").isEqualTo(3);
        assertThat(event.getMessage()).isEqualTo("node node-a: ProgramLoadFailed: attempt 2");

        clock.advance(Duration.ofMinutes(5));
        try (AgentEvents restarted = new AgentEvents(api.client(), "node-a", clock, limiter)) {
            restarted.record(counter, AgentEvents.Reason.LoadFailed, "ProgramLoadFailed: attempt 20");
        }

        Event aggregated = onlyEvent();
        assertThat(aggregated.getCount()).as("the held-back ones are counted in the next write").isEqualTo(21);
        assertThat(aggregated.getMessage()).endsWith("attempt 20");
        assertThat(aggregated.getLastTimestamp()).isEqualTo("2026-12-02T05:05:00Z");
        assertThat(aggregated.getFirstTimestamp()).isEqualTo("2026-12-02T05:00:00Z");
    }

    @Test
    void anEventNamesTheProgramTheNodeAndTheReasonAndLivesInDefault() {
        try (AgentEvents events = new AgentEvents(api.client(), "node-a", clock, limiter)) {
            events.record(counter, AgentEvents.Reason.VerificationFailed, "Revoked: loader hash is revoked");
            events.record(counter, AgentEvents.Reason.DriftRepaired, "re-attached");
        }
        try (AgentEvents otherNode = new AgentEvents(api.client(), "node-b", clock, limiter)) {
            otherNode.record(counter, AgentEvents.Reason.VerificationFailed, "Revoked: loader hash is revoked");
        }

        List<Event> events = api.client().v1().events().inNamespace("default").list().getItems();
        assertThat(events).extracting(Event::getReason, Event::getType, event -> event.getSource().getHost())
                .containsExactlyInAnyOrder(
                        tuple("VerificationFailed", "Warning", "node-a"),
                        tuple("DriftRepaired", "Normal", "node-a"),
                        tuple("VerificationFailed", "Warning", "node-b"));
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getInvolvedObject().getKind()).isEqualTo("SignedBpfProgram");
            assertThat(event.getInvolvedObject().getName()).isEqualTo("counter");
            assertThat(event.getInvolvedObject().getUid()).isEqualTo(counter.getMetadata().getUid());
            assertThat(event.getInvolvedObject().getNamespace()).isNull();
            assertThat(event.getReportingComponent()).isEqualTo("sigil-agent");
            assertThat(event.getCount()).isEqualTo(1);
        });
    }

    private Event onlyEvent() {
        List<Event> events = api.client().v1().events().inNamespace("default").list().getItems();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getReason()).isEqualTo("LoadFailed");
            assertThat(event.getType()).isEqualTo("Warning");
        });
        return events.getFirst();
    }
}
