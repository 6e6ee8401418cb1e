package dev.sigil.operator.signedbpfprogram;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.operator.informers.TriggeringSource;
import dev.sigil.operator.nodes.NodeReports;
import dev.sigil.operator.nodes.NodeStateCollector;
import dev.sigil.operator.nodes.ProgramTargets;
import dev.sigil.operator.nodes.SlimNodeStateStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The program controller's view of the nodes' BpfNodeStates. Each report goes into {@link NodeReports}, which
 * names the programs whose entries changed: only those reconcile (a heartbeat triggers none). A node that goes
 * stale, found by a scan every {@link #STALENESS_SCAN_PERIOD}, or that reports again after being stale, triggers
 * the programs it reports and those that target it. A state whose node the node informer (started first) does not
 * know goes to the {@link NodeStateCollector}. The operator's only BpfNodeState informer.
 */
final class NodeReportSource extends TriggeringSource<BpfNodeState, SignedBpfProgram> {
    static final String NAME = "node-states";
    static final Duration STALENESS_SCAN_PERIOD = Duration.ofSeconds(5);
    private static final long LIST_PAGE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(NodeReportSource.class);

    private final NodeReports reports;
    private final ProgramTargets targets;
    private final Predicate<String> nodeKnown;
    private final NodeStateCollector collector;
    private ScheduledExecutorService scan;

    /**
     * @param nodeKnown whether the node informer knows a node of that name
     */
    NodeReportSource(EventSourceContext<SignedBpfProgram> context, NodeReports reports, ProgramTargets targets,
            Predicate<String> nodeKnown, NodeStateCollector collector) {
        super(InformerEventSourceConfiguration.from(BpfNodeState.class, SignedBpfProgram.class)
                .withName(NAME)
                .withItemStore(new SlimNodeStateStore())
                // Thousands of node states, ~10 KiB each: listed in pages where the API server pages lists.
                .withInformerListLimit(LIST_PAGE)
                .withSecondaryToPrimaryMapper(state -> Set.of())
                .withPrimaryToSecondaryMapper(program -> reports.reportsFor(program.getMetadata().getName()).keySet()
                        .stream().map(ResourceID::new).collect(Collectors.toSet()))
                .build(), context);
        this.reports = reports;
        this.targets = targets;
        this.nodeKnown = nodeKnown;
        this.collector = collector;
    }

    /** The informer has listed every node state: the reports are complete before the first reconcile. */
    @Override
    public synchronized void start() {
        super.start();
        list().forEach(state -> {
            reports.put(state);
            collectIfNodeUnknown(state);
        });
        reports.markComplete();
        scan = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sigil-staleness-scan").factory());
        long period = STALENESS_SCAN_PERIOD.toMillis();
        scan.scheduleWithFixedDelay(this::scanStaleness, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scan != null) {
            scan.shutdownNow();
        }
        collector.close();
        super.stop();
    }

    @Override
    public void onAdd(BpfNodeState state) {
        super.onAdd(state);
        trigger(state.getMetadata().getName(), reports.put(state));
        collectIfNodeUnknown(state);
    }

    @Override
    public void onUpdate(BpfNodeState previous, BpfNodeState state) {
        super.onUpdate(previous, state);
        trigger(state.getMetadata().getName(), reports.put(state));
    }

    @Override
    public void onDelete(BpfNodeState state, boolean finalStateUnknown) {
        super.onDelete(state, finalStateUnknown);
        trigger(state.getMetadata().getName(), reports.remove(state.getMetadata().getName()));
    }

    private void trigger(String node, NodeReports.Change change) {
        if (!change.freshAgain()) {
            trigger(change.programs());
            return;
        }
        LOG.info("node={} reports again: its reports count again", node);
        Set<String> concerned = new HashSet<>(change.programs());
        concerned.addAll(concernedBy(node));
        trigger(concerned);
    }

    private void collectIfNodeUnknown(BpfNodeState state) {
        if (!nodeKnown.test(state.getMetadata().getName())) {
            collector.nodeMayBeGone(state.getMetadata().getName());
        }
    }

    private void scanStaleness() {
        try {
            for (String node : reports.staleFlips()) {
                trigger(concernedBy(node));
            }
        } catch (RuntimeException e) {
            LOG.warn("Staleness scan failed; trying again in {}", STALENESS_SCAN_PERIOD, e);
        }
    }

    /** A node's staleness matters to the programs it reports and to those that target it. */
    private Set<String> concernedBy(String node) {
        Set<String> concerned = new HashSet<>(reports.programsOn(node));
        concerned.addAll(targets.programsTargeting(node));
        return concerned;
    }
}
