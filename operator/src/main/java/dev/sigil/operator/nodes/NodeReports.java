package dev.sigil.operator.nodes;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What every node's agent reports, indexed by (program, node): a program's reconcile reads its own reports
 * without scanning any node's list, and a node's new report is compared entry by entry with its last one, so it
 * concerns only the programs whose entries changed. A heartbeat that moves nothing but {@code lastUpdateTime}
 * changes no program's report. Also knows which nodes are stale ({@link NodeStaleness}), and which of them it
 * last announced, so a node going stale or coming back is noticed once. The operator's one BpfNodeState
 * informer fills it; the agent-label controller reads from it whether a node's agent still holds programs, and
 * is told when that changes.
 *
 * <p>Written by one informer thread (and the staleness scan); read by any number of reconciles.
 */
public final class NodeReports {
    /**
     * One node's latest report: when its agent wrote it, when that report goes stale (empty when it cannot be
     * dated: stale from the start), and its entries by program.
     */
    public record NodeReport(Optional<Instant> lastUpdate, Optional<Instant> staleAfter,
            Map<String, ProgramReport> programs) {
        /** Whether the agent reports any program that may still be in its kernel. */
        boolean holdsPrograms() {
            return programs.values().stream().anyMatch(ProgramReport::mayBeLoaded);
        }
    }

    /**
     * @param programs the programs whose entry on the node appeared, changed or disappeared
     * @param freshAgain the node was stale and reports again
     */
    public record Change(Set<String> programs, boolean freshAgain) {
    }

    private final Map<String, NodeReport> byNode = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ProgramReport>> byProgram = new ConcurrentHashMap<>();
    private final Set<String> announcedStale = new HashSet<>();
    private final List<Consumer<String>> holdingListeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch complete = new CountDownLatch(1);
    private final NodeStaleness staleness;
    private final Clock clock;

    public NodeReports(NodeStaleness staleness, Clock clock) {
        this.staleness = staleness;
        this.clock = clock;
    }

    /** Takes a node's current BpfNodeState (one without a status reports nothing). */
    public synchronized Change put(BpfNodeState state) {
        String node = state.getMetadata().getName();
        BpfNodeStateStatus status = state.getStatus();
        if (status == null) {
            return remove(node);
        }
        NodeReport known = byNode.get(node);
        Map<String, ProgramReport> entries = new HashMap<>();
        for (NodeProgramState entry : status.getPrograms()) {
            if (entry.getName() != null) {
                ProgramReport report = ProgramReport.of(entry);
                ProgramReport same = known == null ? null : known.programs().get(entry.getName());
                // An unchanged entry keeps its instance: the index holds it too, and one copy is enough.
                entries.put(entry.getName(), report.equals(same) ? same : report);
            }
        }
        Optional<Instant> lastUpdate = NodeStaleness.lastReport(state);
        NodeReport report = new NodeReport(lastUpdate, staleness.staleAfter(lastUpdate, NodeStaleness.heartbeat(state)),
                Map.copyOf(entries));
        NodeReport previous = byNode.put(node, report);
        Set<String> changed = index(node, previous == null ? Map.of() : previous.programs(), report.programs());
        if ((previous != null && previous.holdsPrograms()) != report.holdsPrograms()) {
            holdingListeners.forEach(listener -> listener.accept(node));
        }
        Instant now = clock.instant();
        if (isStale(report, now)) {
            return new Change(changed, false);
        }
        // Stale by its last report even if not announced yet: a reconcile may have shown it stale meanwhile.
        boolean wasStale = announcedStale.remove(node) || previous != null && isStale(previous, now);
        return new Change(changed, wasStale);
    }

    /** The node's BpfNodeState is gone: every program it reported changes. */
    public synchronized Change remove(String node) {
        NodeReport previous = byNode.remove(node);
        announcedStale.remove(node);
        if (previous != null && previous.holdsPrograms()) {
            holdingListeners.forEach(listener -> listener.accept(node));
        }
        return new Change(previous == null ? Set.of() : index(node, previous.programs(), Map.of()), false);
    }

    /**
     * Nodes whose staleness differs from what was last announced: gone stale, or back (also announced by
     * {@link #put}). Cost: one comparison per node.
     */
    public synchronized Set<String> staleFlips() {
        Instant now = clock.instant();
        Set<String> flipped = new HashSet<>();
        byNode.forEach((node, report) -> {
            if (isStale(report, now) != announcedStale.contains(node)) {
                flipped.add(node);
            }
        });
        flipped.forEach(node -> {
            if (!announcedStale.remove(node)) {
                announcedStale.add(node);
            }
        });
        return flipped;
    }

    /** Whether the node's agent reports any program that may still be in its kernel. */
    public boolean agentHoldsPrograms(String node) {
        NodeReport report = byNode.get(node);
        return report != null && report.holdsPrograms();
    }

    /** Told, with the node's name, whenever {@link #agentHoldsPrograms} changes for a node. */
    public void onHoldingChange(Consumer<String> listener) {
        holdingListeners.add(listener);
    }

    /** Every node state the informer listed at start is in: readers may draw conclusions from absence. */
    public void markComplete() {
        complete.countDown();
    }

    /** @return false when the reports were not complete within the timeout */
    public boolean awaitComplete(Duration timeout) throws InterruptedException {
        return complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Node name to that node's report of the program, for the nodes that report it. */
    public SortedMap<String, ProgramReport> reportsFor(String program) {
        Map<String, ProgramReport> reports = byProgram.get(program);
        return reports == null ? new TreeMap<>() : new TreeMap<>(reports);
    }

    /** The programs the node reports. */
    public Set<String> programsOn(String node) {
        NodeReport report = byNode.get(node);
        return report == null ? Set.of() : report.programs().keySet();
    }

    /** Of these nodes, those that are stale now, each with when its agent last reported (if that can be told). */
    public SortedMap<String, Optional<Instant>> staleAmong(Collection<String> nodes, Instant now) {
        SortedMap<String, Optional<Instant>> stale = new TreeMap<>();
        for (String node : nodes) {
            NodeReport report = byNode.get(node);
            if (report != null && isStale(report, now)) {
                stale.put(node, report.lastUpdate());
            }
        }
        return stale;
    }

    public long staleNodes() {
        Instant now = clock.instant();
        return byNode.values().stream().filter(report -> isStale(report, now)).count();
    }

    /** Nodes reporting at least one program in the phase. */
    public long nodesReporting(ProgramPhase phase) {
        return byNode.values().stream()
                .filter(report -> report.programs().values().stream().anyMatch(entry -> entry.phase() == phase))
                .count();
    }

    private static boolean isStale(NodeReport report, Instant now) {
        return NodeStaleness.isPast(report.staleAfter(), now);
    }

    private Set<String> index(String node, Map<String, ProgramReport> before, Map<String, ProgramReport> after) {
        Set<String> changed = new HashSet<>();
        before.forEach((program, report) -> {
            if (!after.containsKey(program)) {
                changed.add(program);
                byProgram.computeIfPresent(program, (name, nodes) -> {
                    nodes.remove(node);
                    return nodes.isEmpty() ? null : nodes;
                });
            }
        });
        after.forEach((program, report) -> {
            if (!Objects.equals(before.get(program), report)) {
                changed.add(program);
                byProgram.computeIfAbsent(program, name -> new ConcurrentHashMap<>()).put(node, report);
            }
        });
        return changed;
    }
}
