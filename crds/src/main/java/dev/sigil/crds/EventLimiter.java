package dev.sigil.crds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A token bucket per (program, reason), after client-go's event spam filter: a burst of events, then one per
 * refill period. What the bucket holds back is not lost but counted, and the next event that passes carries it,
 * so a crash-looping program costs the API a few writes per period and the Event's count still says how often.
 * The agents and the operator record their Events through one each.
 */
public final class EventLimiter {
    private record Key(String program, String reason) {
    }

    private static final class Bucket {
        double tokens;
        Instant refilled;
        int held;

        Bucket(int burst, Instant now) {
            tokens = burst;
            refilled = now;
        }
    }

    private final Clock clock;
    private final int burst;
    private final Duration refill;
    private final Map<Key, Bucket> buckets = new HashMap<>();

    public EventLimiter(Clock clock, int burst, Duration refill) {
        if (burst < 1 || refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("need burst >= 1 and a positive refill, got " + burst + " and " + refill);
        }
        this.clock = clock;
        this.burst = burst;
        this.refill = refill;
    }

    /** Client-go's defaults: a burst of 25, then one event per five minutes. */
    public static EventLimiter standard(Clock clock) {
        return new EventLimiter(clock, 25, Duration.ofMinutes(5));
    }

    /**
     * Whether an event may be written now, and if so how many occurrences it stands for (this one and those held
     * back since the last that passed).
     */
    public synchronized OptionalInt admit(String program, String reason) {
        Instant now = clock.instant();
        Bucket bucket = buckets.computeIfAbsent(new Key(program, reason), key -> new Bucket(burst, now));
        if (now.isAfter(bucket.refilled)) {
            double earned = (double) Duration.between(bucket.refilled, now).toNanos() / refill.toNanos();
            bucket.tokens = Math.min(burst, bucket.tokens + earned);
            bucket.refilled = now;
        }
        if (bucket.tokens < 1) {
            bucket.held++;
            return OptionalInt.empty();
        }
        bucket.tokens--;
        int occurrences = bucket.held + 1;
        bucket.held = 0;
        return OptionalInt.of(occurrences);
    }

    /** Drops the buckets of a program that no longer runs here, so the limiter holds only live programs. */
    public synchronized void forget(String program) {
        buckets.keySet().removeIf(key -> key.program().equals(program));
    }
}
