package dev.sigil.agent.cluster;

import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.agent.translate.StatusTranslation;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent in a cluster: watches SignedBpfPrograms and its own Node, applies the programs
 * selected for this node through a {@link ProgramHost} (which verifies each against the node's own
 * trust bundle), unloads the rest, and reports in the node's BpfNodeState.
 *
 * <p>Every host call and status write happens on one reconciler thread; informer events only queue
 * a pass. While the API server is unreachable the informer caches keep their last view, so nothing
 * is unloaded for lack of news; when it returns the informers list again and the agent converges.
 */
public final class ClusterAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterAgent.class);

    private final KubernetesClient client;
    private final ClusterAgentConfig config;
    private final ProgramHostFactory hostFactory;
    private final NodeStateWriter writer;
    private final ScheduledExecutorService reconciler = Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().name("sigil-agent-reconciler").daemon().unstarted(runnable));
    private final AtomicBoolean passQueued = new AtomicBoolean();

    // Touched on the reconciler thread only.
    private ProgramHost host;
    private String trustFingerprint;
    private String rejectedTrustFingerprint;
    private boolean reapplyPending = true;
    private boolean statusDirty = true;
    private boolean statusWriteFailing;
    private boolean informersWatched;
    private boolean apiServerWasAway;
    private BpfNodeStateStatus lastWritten;
    private Instant nextRetry;

    // Replaced on the reconciler thread after an outage; stopped from the closing thread.
    private volatile SharedIndexInformer<SignedBpfProgram> programInformer;
    private volatile SharedIndexInformer<Node> nodeInformer;
    private volatile long lastTickNanos = System.nanoTime();
    private volatile boolean ready;
    private volatile boolean closed;

    public ClusterAgent(KubernetesClient client, ClusterAgentConfig config, ProgramHostFactory hostFactory) {
        this.client = client;
        this.config = config;
        this.hostFactory = hostFactory;
        this.writer = new NodeStateWriter(client, config.nodeName());
    }

    /**
     * Opens the host, re-adopts what an earlier agent pinned, and starts watching. Returns at once:
     * an unreachable API server delays the first pass, it does not fail the start.
     */
    public void start() throws Exception {
        trustFingerprint = TrustFingerprint.of(config.trustPath());
        host = hostFactory.open();
        List<ResourceReport> adopted = host.adoptPinned();
        LOG.info("Node {}: adopted {} pinned resource(s) {}", config.nodeName(), adopted.size(), names(adopted));
        nextRetry = config.clock().instant().plus(config.retryInterval());

        startInformers();
        long tickMillis = config.tickInterval().toMillis();
        reconciler.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Live while the reconciler keeps ticking; a host call or API request stuck for minutes is not. */
    public boolean isLive() {
        Duration sinceTick = Duration.ofNanos(System.nanoTime() - lastTickNanos);
        return !closed && sinceTick.compareTo(config.retryInterval().multipliedBy(2)) < 0;
    }

    /** Ready once the first pass over a synced view has run. */
    public boolean isReady() {
        return ready && !closed;
    }

    private void startInformers() {
        programInformer = watch(client.resources(SignedBpfProgram.class).runnableInformer(0));
        nodeInformer = watch(client.nodes().withName(config.nodeName()).runnableInformer(0));
    }

    private void stopInformers() {
        programInformer.stop();
        nodeInformer.stop();
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer) {
        informer.exceptionHandler((started, error) -> {
            LOG.warn("Watching {} failed, retrying: {}", informer.getApiTypeClass().getSimpleName(), error.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T resource) {
                queuePass();
            }

            @Override
            public void onUpdate(T before, T after) {
                queuePass();
            }

            @Override
            public void onDelete(T resource, boolean finalStateUnknown) {
                queuePass();
            }
        });
        informer.start();
        return informer;
    }

    private void queuePass() {
        if (closed || !passQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            reconciler.execute(() -> {
                passQueued.set(false);
                guarded(this::reconcile);
            });
        } catch (RejectedExecutionException shuttingDown) {
            passQueued.set(false);
        }
    }

    private void tick() {
        lastTickNanos = System.nanoTime();
        guarded(() -> {
            reopenHostIfTrustChanged();
            List<ResourceReport> repaired = host.repairDrift();
            if (!repaired.isEmpty()) {
                LOG.info("Repaired drift of {}", names(repaired));
                statusDirty = true;
            }
            resyncAfterOutage();
            Instant now = config.clock().instant();
            if (!now.isBefore(nextRetry)) {
                reapplyPending = true;
                statusDirty = true;
                nextRetry = now.plus(config.retryInterval());
            }
            reconcile();
        });
    }

    /**
     * After the API server was unreachable, list everything again rather than trust the resumed
     * watches: a restored or rebuilt API server can resume a watch without replaying what it lost,
     * and it may never have seen this node's state. No pass runs until the new informers have
     * synced, so the outage itself unloads nothing.
     */
    private void resyncAfterOutage() {
        boolean watching = isWatching(programInformer) && isWatching(nodeInformer);
        if (watching && apiServerWasAway) {
            LOG.info("API server reachable again: listing programs and node afresh");
            stopInformers();
            startInformers();
            informersWatched = false;
            apiServerWasAway = false;
            statusDirty = true;
        } else if (watching) {
            informersWatched = true;
        } else if (informersWatched) {
            apiServerWasAway = true;
        }
    }

    /**
     * Fabric8 7.5's Reflector throws a NullPointerException from {@code isWatching()} while it restarts a
     * watch (it clears the watch future before it clears its watching flag): that is a watch that is not
     * running, as far as this agent is concerned.
     */
    private static boolean isWatching(SharedIndexInformer<?> informer) {
        try {
            return informer.isWatching();
        } catch (NullPointerException restarting) {
            return false;
        }
    }

    /**
     * Apply re-verifies with the host's trust bundle, so a changed bundle means a new host: it
     * re-adopts the pins (no detach gap), and the next pass re-applies everything, which unloads
     * programs whose signer or loader the new bundle revokes.
     */
    private void reopenHostIfTrustChanged() {
        String fingerprint = TrustFingerprint.of(config.trustPath());
        if (fingerprint.equals(trustFingerprint) || fingerprint.equals(rejectedTrustFingerprint)) {
            return;
        }
        ProgramHost fresh = null;
        try {
            fresh = hostFactory.open();
            fresh.adoptPinned();
        } catch (Exception e) {
            if (fresh != null) {
                // Closing a host leaves the pins in place; it only releases the fds the adoption opened.
                fresh.close();
            }
            rejectedTrustFingerprint = fingerprint;
            LOG.error("Trust bundle {} changed but cannot be used; keeping the previous one: {}", config.trustPath(), e.getMessage());
            return;
        }
        host.close();
        host = fresh;
        trustFingerprint = fingerprint;
        rejectedTrustFingerprint = null;
        reapplyPending = true;
        LOG.info("Trust bundle {} changed: re-verifying every program", config.trustPath());
    }

    private void reconcile() {
        // Before the first list an empty cache would read as "nothing wanted" and unload every adopted program.
        if (!programInformer.hasSynced() || !nodeInformer.hasSynced()) {
            return;
        }
        Optional<Node> node = currentNode();
        NodePlan plan = NodePlanner.plan(node.map(NodeSelectors::labels), programInformer.getStore().list(),
                reported(), reapplyPending);
        reapplyPending = false;
        plan.toUnload().forEach(this::unload);
        plan.toApply().forEach(this::apply);
        ready = true;
        publish(node);
    }

    private void apply(SignedBpfProgram program) {
        String name = program.getMetadata().getName();
        Optional<ResourceReport> before = reported().stream().filter(report -> name.equals(report.name())).findFirst();
        ResourceReport result;
        try {
            result = host.apply(SpecTranslation.deployRequest(program));
        } catch (RuntimeException e) {
            LOG.error("Applying {} failed inside the agent; will retry", name, e);
            return;
        }
        statusDirty = true;
        if (sameOutcome(before, result)) {
            return;
        }
        if (result.phase() != ResourceReport.Phase.Failed) {
            LOG.info("{} generation {}: {} ({})", name, result.generation().orElse(0), result.phase(),
                    result.enforcement().orElse(null));
        } else {
            LOG.warn("{} generation {} failed: {}: {}", name, result.generation().orElse(0), result.cause().orElse(null),
                    result.message().orElse(""));
        }
    }

    private void unload(String name) {
        try {
            host.unload(name);
            LOG.info("{} unloaded: no longer selected for this node", name);
        } catch (RuntimeException e) {
            LOG.error("Unloading {} failed; will retry", name, e);
            return;
        }
        statusDirty = true;
    }

    /** Re-applying what already runs, or failing the same way again, is not news for the log. */
    private static boolean sameOutcome(Optional<ResourceReport> before, ResourceReport after) {
        return before.isPresent()
                && before.get().phase() == after.phase()
                && before.get().generation().equals(after.generation())
                && before.get().cause().equals(after.cause());
    }

    /** The host's reports: the node's state is held there, failed applies included. */
    private List<ResourceReport> reported() {
        return host.states();
    }

    /** Without its Node there is nothing to own the state (the API server would delete it anyway). */
    private void publish(Optional<Node> node) {
        if (node.isEmpty()) {
            return;
        }
        BpfNodeStateStatus status = BpfNodeStates.status(StatusTranslation.capabilities(host.capabilities()),
                reported().stream().map(StatusTranslation::state).toList(), config.clock().instant(),
                config.retryInterval());
        if (!statusDirty && lastWritten != null && BpfNodeStates.sameReport(lastWritten, status)) {
            return;
        }
        try {
            writer.write(node.get(), status);
            lastWritten = status;
            statusDirty = false;
            if (statusWriteFailing) {
                LOG.info("BpfNodeState {} written again", config.nodeName());
            }
            statusWriteFailing = false;
        } catch (KubernetesClientException e) {
            statusDirty = true;
            if (e.getCode() <= 0) {
                // No HTTP answer at all: the outage may be too short for the watches to notice.
                apiServerWasAway = true;
            }
            if (!statusWriteFailing) {
                LOG.warn("Cannot write BpfNodeState {} (retrying every {}): {} ({})", config.nodeName(), config.tickInterval(), e.getMessage(), String.valueOf(e.getCause()));
            }
            statusWriteFailing = true;
        }
    }

    private Optional<Node> currentNode() {
        return nodeInformer.getStore().list().stream().findFirst();
    }

    /**
     * Stops watching, then decides once more from a fresh read: programs no longer selected for this
     * node (all of them when nothing targets it or its Node is gone) are unloaded; the rest stay
     * pinned and attached for the next agent. If the API server does not answer in time, all stay.
     * Returns within twice the shutdown timeout, whatever the API server or a running pass does, so
     * that SIGTERM ends the agent well inside Kubernetes' grace period.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (programInformer != null) {
            stopInformers();
        }
        Future<?> lastPass = reconciler.submit(() -> guarded(this::shutdownPass));
        reconciler.shutdown();
        try {
            lastPass.get(config.shutdownTimeout().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Shutdown pass did not finish within {}: leaving what is pinned as it is", config.shutdownTimeout().multipliedBy(2));
        }
    }

    private void shutdownPass() {
        if (host == null) {
            return;
        }
        try {
            Optional<FreshView> fresh = freshView();
            if (fresh.isEmpty()) {
                LOG.warn("API server unreachable at shutdown: leaving {} pinned", names(host.states()));
                return;
            }
            NodePlan plan = NodePlanner.plan(fresh.get().node().map(NodeSelectors::labels), fresh.get().programs(),
                    reported(), false);
            plan.toUnload().forEach(this::unload);
            publish(fresh.get().node());
            LOG.info("Shutting down: leaving {} pinned", names(host.states()));
        } finally {
            host.close();
        }
    }

    private record FreshView(Optional<Node> node, List<SignedBpfProgram> programs) {
    }

    private Optional<FreshView> freshView() {
        CompletableFuture<FreshView> read = CompletableFuture.supplyAsync(() -> new FreshView(
                Optional.ofNullable(client.nodes().withName(config.nodeName()).get()),
                client.resources(SignedBpfProgram.class).list().getItems()));
        try {
            return Optional.of(read.get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            read.cancel(true);
            return Optional.empty();
        }
    }

    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("Reconcile pass failed; the next one retries", e);
        }
    }

    private static List<String> names(Collection<ResourceReport> reports) {
        return reports.stream().map(ResourceReport::name).sorted().toList();
    }
}
