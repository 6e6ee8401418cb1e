package dev.sigil.kubectl;

import io.fabric8.kubernetes.api.model.Event;
import java.time.Instant;
import java.util.stream.Stream;

/** The one time of an Event, whichever of its timestamps the recorder filled. */
final class Events {
    private Events() {
    }

    static Instant time(Event event) {
        return Stream.of(event.getLastTimestamp(), event.getEventTime() == null ? null : event.getEventTime().getTime(),
                        event.getFirstTimestamp(), event.getMetadata() == null ? null : event.getMetadata().getCreationTimestamp())
                .map(Ages::parse)
                .flatMap(java.util.Optional::stream)
                .findFirst()
                .orElse(Instant.EPOCH);
    }
}
