package dev.sigil.agent.cluster;

import dev.sigil.agent.metrics.AgentMetrics;
import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.pods.NodePodView;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.agent.translate.StatusTranslation;
import dev.sigil.agent.pods.NodePods;
import dev.sigil.agent.translate.PodStatus;
import dev.sigil.agent.translate.PodTargets;
import dev.sigil.crds.EventLimiter;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent in a cluster, built as controllers are: Fabric8 informers ({@link ClusterView}) feed a
 * rate-limited {@link WorkQueue} of resource names; one worker thread reconciles each name
 * ({@link ProgramReconciler}) against the node's {@link TrustedHost}, which verifies every program against the
 * node's own trust bundle, and publishes the node's BpfNodeState, built from the host's reports by a pure function.
 * A node tick on the same thread repairs drift, picks up a changed trust bundle, follows the link to the API
 * server ({@link ApiConnection}), writes the heartbeat and, with nothing queued, gives back grown heap
 * ({@link IdleHeapReturn}). While the API server is away the caches keep their last view, so nothing is unloaded
 * for lack of news; when it is back everything is listed afresh (a watch the server merely ended, resumed within
 * {@link ApiConnection#RENEWAL}, is no outage).
 */
public final class ClusterAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterAgent.class);

    private final ClusterAgentConfig config;
    private final TrustedHost host;
    private final AgentMetrics metrics;
    private final ClusterView view;
    private final StatusPublisher publisher;
    private final AgentEvents events;
    private final ProgramReconciler reconciler;
    private final ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1,
            runnable -> Thread.ofPlatform().name("sigil-agent-worker").daemon().unstarted(runnable));
    private final WorkQueue queue;
    private final ShutdownPass shutdown;
    private final IdleHeapReturn heapReturn = IdleHeapReturn.forThisJvm();

    // Touched on the worker thread only.
    private ApiConnection connection = ApiConnection.Listing;
    // Since when (System.nanoTime) some informer has been seen not watching; empty while all are.
    private OptionalLong notWatchingSince = OptionalLong.empty();
    private long queuedEpoch;
    private Instant nextHeartbeat = Instant.MIN;

    private volatile long lastTickNanos = System.nanoTime();
    private volatile boolean ready;
    private volatile boolean closed;

    /** {@code metrics}: counts failed status writes (the factory's hosts are observed by it where that is wanted). */
    public ClusterAgent(AgentClient client, ClusterAgentConfig config, ProgramHostFactory hostFactory,
            AgentMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.host = new TrustedHost(hostFactory, config.trustPath());
        this.view = new ClusterView(client, config.nodeName(), config.retryInterval(), new ClusterView.Listener() {
            @Override
            public void programChanged(String name, boolean resync) {
                queue.add(name, resync);
            }

            @Override
            public void nodeChanged() {
                try {
                    worker.execute(() -> queueEveryName(false));
                } catch (RejectedExecutionException shuttingDown) {
                    // The shutdown pass decides from a fresh read.
                }
            }

            @Override
            public void nodeStateChanged(BpfNodeState state) {
                if (state == null) {
                    publisher.forget();
                }
            }

            @Override
            public void podsChanged() {
                try {
                    worker.execute(ClusterAgent.this::queuePodTargets);
                } catch (RejectedExecutionException shuttingDown) {
                    // Nothing more is attached while stopping.
                }
            }
        });
        // Half the heartbeat interval: a tick with a stuck write stays within what the liveness probe allows.
        this.publisher = new StatusPublisher(client.kubernetes(), config.nodeName(), config.retryInterval().dividedBy(2));
        this.events = new AgentEvents(client.kubernetes(), config.nodeName(), config.clock(), EventLimiter.standard(config.clock()));
        this.reconciler = new ProgramReconciler(host, events,
                NodePodView.of(view::pods, view::namespaceLabels, config.podCgroups()));
        this.queue = new WorkQueue(worker, this::reconcile, config.tickInterval(), config.retryInterval());
        this.shutdown = new ShutdownPass(client.kubernetes(), config, host, reconciler, this::publish);
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Opens the host, re-adopts what an earlier agent pinned, and starts watching. Returns at once:
     * an unreachable API server delays the first pass, it does not fail the start.
     */
    public void start() throws Exception {
        List<ResourceReport> adopted = host.open();
        LOG.info("Node {}: adopted {} pinned resource(s) {}", config.nodeName(), adopted.size(), names(adopted));
        view.start();
        long tickMillis = config.tickInterval().toMillis();
        worker.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Live while the node tick keeps running; a host call or API request stuck for minutes is not. */
    public boolean isLive() {
        Duration sinceTick = Duration.ofNanos(System.nanoTime() - lastTickNanos);
        return !closed && sinceTick.compareTo(config.retryInterval().multipliedBy(2)) < 0;
    }

    /** Ready once every name of a synced view has been queued for its first pass. */
    public boolean isReady() {
        return ready && !closed;
    }

    private WorkQueue.Result reconcile(String name, boolean reapply) {
        if (!connected()) {
            // Before the lists complete an empty cache would read as "nothing wanted": the pass after them covers it.
            return WorkQueue.Result.Done;
        }
        Optional<SignedBpfProgram> program = view.program(name);
        boolean cacheStarted = program.filter(PodTargets::uses).isPresent() && view.watchPods();
        cacheStarted |= program.filter(PodTargets::readsNamespaces).isPresent() && view.watchNamespaces();
        if (cacheStarted) {
            // Listing, not an outage: once the new cache has listed, every name is queued again (connected()).
            connection = ApiConnection.Listing;
            return WorkQueue.Result.Done;
        }
        WorkQueue.Result result = reconciler.reconcile(name, view.nodeLabels(), program, reapply);
        publish(false);
        return result;
    }

    private void tick() {
        lastTickNanos = System.nanoTime();
        try {
            host.reopenIfTrustChanged();
            for (ResourceReport repaired : host.use(ProgramHost::repairDrift)) {
                LOG.info("Repaired drift of {}", repaired.name());
                view.program(repaired.name()).ifPresent(program -> events.record(program, AgentEvents.Reason.DriftRepaired,
                        "re-attached what was detached or unpinned behind the agent's back"));
            }
            if (host.use(ProgramHost::nodeFactsChanged)) {
                // Only the resources whose targets the node decides: their targets are resolved again when applied.
                view.programs().stream().filter(SpecTranslation::resolvesOnNode)
                        .forEach(program -> queue.add(program.getMetadata().getName(), true));
            }
            connected();
            Instant now = config.clock().instant();
            boolean heartbeat = !now.isBefore(nextHeartbeat);
            if (heartbeat) {
                nextHeartbeat = now.plus(config.retryInterval());
            }
            publish(heartbeat);
            heapReturn.tick(queue.idle());
        } catch (RuntimeException e) {
            LOG.warn("Node tick failed; the next one retries", e);
        }
    }

    /**
     * Follows the link to the API server: after an outage lists everything afresh rather than trust resumed
     * watches; once the lists are complete, and whenever a new host (a changed trust bundle) has verified
     * nothing yet, queues every name. Returns whether passes may decide now.
     */
    private boolean connected() {
        boolean watching = view.watching();
        long now = System.nanoTime();
        notWatchingSince = watching ? OptionalLong.empty() : OptionalLong.of(notWatchingSince.orElse(now));
        ApiConnection next = connection.next(watching, Duration.ofNanos(now - notWatchingSince.orElse(now)));
        if (connection.relistsOn(next)) {
            LOG.info("API server reachable again: listing programs and node afresh");
            view.relist();
            publisher.forget();
        }
        boolean synced = connection.listedOn(next);
        connection = next;
        if (connection.decides() && (synced || host.epoch() != queuedEpoch)) {
            boolean newHost = host.epoch() != queuedEpoch;
            queuedEpoch = host.epoch();
            queueEveryName(newHost);
            ready = true;
        }
        return connection.decides();
    }

    /** Queues every program of the cluster and every resource the host reports (some may need unloading). */
    private void queueEveryName(boolean reapply) {
        TreeSet<String> names = new TreeSet<>();
        view.programs().forEach(program -> names.add(program.getMetadata().getName()));
        host.use(ProgramHost::states).forEach(report -> names.add(report.name()));
        names.forEach(name -> queue.add(name, reapply));
    }

    /** Re-applies only the programs with pod targets: a pod started, stopped or changed its labels. */
    private void queuePodTargets() {
        view.programs().stream().filter(PodTargets::uses).forEach(program -> queue.add(program.getMetadata().getName(), true));
    }

    /** Without its Node there is nothing to own the state (the API server would delete it anyway). */
    private void publish(boolean heartbeat) {
        publish(view.node(), heartbeat);
    }

    private void publish(Optional<? extends HasMetadata> node, boolean heartbeat) {
        if (node.isEmpty()) {
            return;
        }
        Set<String> podTargeted = view.programs().stream().filter(PodTargets::uses)
                .map(program -> program.getMetadata().getName()).collect(Collectors.toSet());
        BpfNodeStateStatus status = host.use(target -> {
            List<ResourceReport> reports = target.states();
            BpfNodeStateStatus built = BpfNodeStates.status(StatusTranslation.capabilities(target.capabilities()),
                    reports.stream().map(StatusTranslation::state).toList(), config.clock().instant(), config.retryInterval());
            PodStatus.fill(built, reports, podTargeted, podTargeted.isEmpty() ? Map.of()
                    : NodePods.byCgroup(view.pods(), config.podCgroups()));
            return built;
        });
        try {
            publisher.publish(node.get(), status, heartbeat);
        } catch (KubernetesClientException e) {
            metrics.apiWriteFailed();
            if (e.getCode() <= 0) {
                connection = connection.noAnswer();
            }
        }
    }

    /**
     * Stops watching, then decides once more from a fresh read ({@link ShutdownPass}). Returns within twice the
     * shutdown timeout, whatever the API server or a running pass does, so that SIGTERM ends the agent well
     * inside Kubernetes' grace period.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        view.stop();
        events.close();
        shutdown.runOn(worker);
    }

    private static List<String> names(Collection<ResourceReport> reports) {
        return reports.stream().map(ResourceReport::name).sorted().toList();
    }

    /** For {@link ShutdownPass}: a publish with a node read afresh. */
    @FunctionalInterface
    interface Publisher {
        void publish(Optional<? extends HasMetadata> node, boolean heartbeat);
    }
}
