package dev.sigil.operator.signedbpfprogram;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a node's report stops counting: its agent has written nothing for {@code heartbeats} of its own
 * heartbeat intervals. A report that cannot be dated counts as stale from the start.
 */
public record NodeStaleness(int heartbeats) {
    public static final int DEFAULT_HEARTBEATS = 3;
    public static final int MAX_HEARTBEATS = 1000;

    public NodeStaleness {
        if (heartbeats < 1 || heartbeats > MAX_HEARTBEATS) {
            throw new IllegalArgumentException("staleAfterHeartbeats must be between 1 and " + MAX_HEARTBEATS
                    + ", got " + heartbeats);
        }
    }

    /** After this instant a report written at {@code lastReport} is stale; empty when the report has no date. */
    public Optional<Instant> staleAfter(Optional<Instant> lastReport, Duration heartbeat) {
        return lastReport.map(last -> last.plus(heartbeat.multipliedBy(heartbeats)));
    }
}
