package dev.sigil.operator.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many Events one object may have recorded, as client-go's recorder limits every controller
 * ({@code EventSourceObjectSpamFilter}): a burst of {@value #BURST}, then one per {@link #REFILL}. When a
 * tenth of 5,000 nodes flap, each failure would otherwise be an Event on every program the node runs: tens of
 * thousands of writes to the API server that say what the programs' statuses already count.
 */
final class EventSpamFilter {
    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);

    /** Tokens left as of {@code at}. */
    private record Bucket(double tokens, Instant at) {
    }

    private final Map<String, Bucket> bySubject = new ConcurrentHashMap<>();
    private final Clock clock;

    EventSpamFilter(Clock clock) {
        this.clock = clock;
    }

    /** Whether the subject (by uid) may have one more Event now; takes its token if so. */
    boolean allow(String subject) {
        Instant now = clock.instant();
        boolean[] allowed = new boolean[1];
        bySubject.compute(subject, (key, bucket) -> {
            double tokens = bucket == null ? BURST : Math.min(BURST,
                    bucket.tokens() + (double) Duration.between(bucket.at(), now).toMillis() / REFILL.toMillis());
            allowed[0] = tokens >= 1;
            return new Bucket(allowed[0] ? tokens - 1 : tokens, now);
        });
        return allowed[0];
    }

    /** The subject is gone: its bucket goes with it. */
    void forget(String subject) {
        bySubject.remove(subject);
    }
}
