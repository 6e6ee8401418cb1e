package dev.sigil.crds.bpfnodestate;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a node's report stops counting: its agent has written nothing for {@code heartbeats} of its own
 * heartbeat intervals (agents rewrite their status whenever something changes and at least once an
 * interval), so what it last said may no longer be true. A report that cannot be dated counts as stale
 * from the start. The one rule for "stale", for everything that reads node states.
 */
public record NodeStaleness(int heartbeats) {
    public static final int DEFAULT_HEARTBEATS = 3;
    public static final int MAX_HEARTBEATS = 1000;
    /** How often an idle agent rewrites its status. */
    public static final Duration AGENT_HEARTBEAT = Duration.ofMinutes(1);

    public NodeStaleness {
        if (heartbeats < 1 || heartbeats > MAX_HEARTBEATS) {
            throw new IllegalArgumentException("staleAfterHeartbeats must be between 1 and " + MAX_HEARTBEATS
                    + ", got " + heartbeats);
        }
    }

    public boolean isStale(Optional<Instant> lastReport, Duration heartbeat, Instant now) {
        return isPast(staleAfter(lastReport, heartbeat), now);
    }

    /**
     * Whether a report whose {@link #staleAfter} deadline is this is stale at {@code now}: for readers that
     * work the deadline out once, when the report arrives, and compare it on every look after.
     */
    public static boolean isPast(Optional<Instant> staleAfter, Instant now) {
        return staleAfter.map(now::isAfter).orElse(true);
    }

    /** After this instant a report written at {@code lastReport} is stale; empty when the report has no date. */
    public Optional<Instant> staleAfter(Optional<Instant> lastReport, Duration heartbeat) {
        return lastReport.map(last -> last.plus(heartbeat.multipliedBy(heartbeats)));
    }

    /** Whether this node's report is stale, by its own time and heartbeat. */
    public boolean isStale(BpfNodeState state, Instant now) {
        return isStale(lastReport(state), heartbeat(state), now);
    }

    /** The agent's heartbeat interval, as it says in {@code status.heartbeatIntervalSeconds}, else the default. */
    public static Duration heartbeat(BpfNodeState state) {
        Integer seconds = state.getStatus() == null ? null : state.getStatus().getHeartbeatIntervalSeconds();
        return seconds == null || seconds < 1 ? AGENT_HEARTBEAT : Duration.ofSeconds(seconds);
    }

    /** {@code status.lastUpdateTime}, when the agent wrote one that parses as RFC 3339. */
    public static Optional<Instant> lastReport(BpfNodeState state) {
        if (state.getStatus() == null || state.getStatus().getLastUpdateTime() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(state.getStatus().getLastUpdateTime()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
