package dev.sigil.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.signing.testing.MovableClock;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventRecorderIT {
    /** client-go's refill period, which the recorder's limiter uses. */
    private static final Duration REFILL = Duration.ofMinutes(5);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T08:00:00Z"));

    @Test
    void aProgramsEventsOfOneReasonAreRateLimitedAndTheNextOneCountsThoseHeldBack() {
        try (MockApiServer api = MockApiServer.start()) {
            EventRecorder recorder = new EventRecorder(api.client(), clock);
            SignedBpfProgram flapping = program("flapping", "uid-1");

            IntStream.range(0, 30).forEach(i -> recorder.record(flapping, EventReason.NodeFailed, "node-" + i + " failed"));
            recorder.record(flapping, EventReason.RolloutCompleted, "attached on all 3 targeted nodes");
            recorder.record(program("quiet", "uid-2"), EventReason.NodeFailed, "node-0 failed");
            assertThat(events(api, "flapping", EventReason.NodeFailed)).hasSize(25);
            assertThat(events(api, "flapping", EventReason.RolloutCompleted)).as("another reason").hasSize(1);
            assertThat(events(api, "quiet", EventReason.NodeFailed)).as("another program").hasSize(1);

            clock.advance(REFILL);
            recorder.record(flapping, EventReason.NodeFailed, "node-30 failed");
            assertThat(events(api, "flapping", EventReason.NodeFailed)).hasSize(26)
                    .anySatisfy(event -> assertThat(event.getCount()).as("itself and the five held back").isEqualTo(6));
        }
    }

    private static List<Event> events(MockApiServer api, String program, EventReason reason) {
        return api.client().v1().events().inNamespace(EventRecorder.CLUSTER_SCOPED_EVENT_NAMESPACE).list().getItems()
                .stream()
                .filter(event -> event.getInvolvedObject().getName().equals(program))
                .filter(event -> event.getReason().equals(reason.name()))
                .toList();
    }

    private static SignedBpfProgram program(String name, String uid) {
        SignedBpfProgram program = new SignedBpfProgram();
        program.setMetadata(new ObjectMetaBuilder().withName(name).withUid(uid).build());
        return program;
    }
}
