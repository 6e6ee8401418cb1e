package dev.sigil.crds.bpfnodestate;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a node's report can no longer be believed. An agent rewrites its {@link BpfNodeState} status
 * whenever something changes and at least every {@link #AGENT_HEARTBEAT}; a status older than a few
 * heartbeats means the agent is gone, hung or cut off from the API server, so what it last said may no
 * longer be true. The one rule for "stale", shared by everything that reads node states.
 */
public final class NodeStaleness {
    /** How often an idle agent rewrites its status. */
    public static final Duration AGENT_HEARTBEAT = Duration.ofMinutes(1);
    public static final int DEFAULT_MISSED_HEARTBEATS = 3;
    /** A report older than this is stale unless configured otherwise. */
    public static final Duration DEFAULT_THRESHOLD = AGENT_HEARTBEAT.multipliedBy(DEFAULT_MISSED_HEARTBEATS);

    private NodeStaleness() {
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

    /** Stale: no readable report, or the last one is more than {@code threshold} old. */
    public static boolean isStale(BpfNodeState state, Instant now, Duration threshold) {
        return lastReport(state).map(last -> Duration.between(last, now).compareTo(threshold) > 0).orElse(true);
    }
}
