package dev.sigil.agent.standalone;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * @param interval    how often the table is refreshed, drift repaired and the node's interfaces looked at
 * @param keep        leave the resources pinned and attached when the agent stops
 * @param watchMaps   maps whose u64 at key 0 the table shows; empty: every map the resource declares
 * @param duration    stop by itself after this long (zero: print one table and stop); empty: until signalled
 * @param clearScreen redraw the table in place (a terminal) instead of appending it (a log)
 */
public record StandaloneOptions(Duration interval, boolean keep, List<String> watchMaps, Optional<Duration> duration,
        boolean clearScreen) {
    public StandaloneOptions {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the refresh interval must be positive, got " + interval);
        }
        if (duration.isPresent() && duration.get().isNegative()) {
            throw new IllegalArgumentException("the duration must not be negative, got " + duration.get());
        }
        watchMaps = List.copyOf(watchMaps);
    }
}
