package dev.sigil.operator.signedbpfprogram;

import dev.sigil.operator.nodes.ProgramReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * When a deleted program may let go of its finalizer: once no node reports it loaded, or when the
 * deletion timeout has passed (then the nodes still holding it are named in a Warning Event).
 */
public final class ProgramDeletion {
    public sealed interface Decision {
    }

    /** No node reports the program any more: remove the finalizer. */
    public record Release() implements Decision {
    }

    /** Nodes still report it; look again when they report or when the time is up. */
    public record Wait(SortedSet<String> nodes, Duration remaining) implements Decision {
    }

    /** Time is up: remove the finalizer anyway and say which nodes never confirmed. */
    public record GiveUp(SortedSet<String> nodes, Duration waited) implements Decision {
    }

    private ProgramDeletion() {
    }

    /**
     * @param reports node name to that node's report of the program
     */
    public static Decision decide(Instant deletionRequested, Map<String, ProgramReport> reports, Duration timeout,
            Instant now) {
        SortedSet<String> holding = new TreeSet<>();
        reports.forEach((node, report) -> {
            if (report.mayBeLoaded()) {
                holding.add(node);
            }
        });
        if (holding.isEmpty()) {
            return new Release();
        }
        Duration waited = Duration.between(deletionRequested, now);
        if (waited.compareTo(timeout) >= 0) {
            return new GiveUp(holding, waited);
        }
        return new Wait(holding, timeout.minus(waited));
    }
}
