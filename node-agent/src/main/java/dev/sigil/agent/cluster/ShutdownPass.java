package dev.sigil.agent.cluster;

import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's last pass: decides once more from a fresh read of its Node and the programs. Programs no longer
 * selected for this node (all of them when nothing targets it or its Node is gone) are unloaded; the rest stay
 * pinned and attached for the next agent. If the API server does not answer in time, all stay. The host is closed
 * (its file descriptors released) in every case.
 */
final class ShutdownPass {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownPass.class);

    private record FreshView(Optional<GenericKubernetesResource> node, List<SignedBpfProgram> programs) {
    }

    private final KubernetesClient client;
    private final ClusterAgentConfig config;
    private final TrustedHost host;
    private final ProgramReconciler reconciler;
    private final ClusterAgent.Publisher publisher;

    ShutdownPass(KubernetesClient client, ClusterAgentConfig config, TrustedHost host, ProgramReconciler reconciler,
            ClusterAgent.Publisher publisher) {
        this.client = client;
        this.config = config;
        this.host = host;
        this.reconciler = reconciler;
        this.publisher = publisher;
    }

    /**
     * Runs the pass after whatever the worker is doing, then stops the worker; returns within twice the shutdown
     * timeout whatever the API server or a running pass does.
     */
    void runOn(ScheduledExecutorService worker) {
        Future<?> pass = worker.submit(this::run);
        worker.shutdown();
        Duration limit = config.shutdownTimeout().multipliedBy(2);
        try {
            pass.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("Shutdown pass failed: leaving what is pinned as it is: {}", String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            LOG.warn("Shutdown pass did not finish within {}: leaving what is pinned as it is", limit);
        }
    }

    private void run() {
        try {
            Optional<FreshView> fresh = freshView();
            if (fresh.isEmpty()) {
                LOG.warn("API server unreachable at shutdown: leaving {} pinned", names());
                return;
            }
            NodePlan plan = NodePlanner.plan(fresh.get().node().map(ClusterView::labels), fresh.get().programs(),
                    host.use(ProgramHost::states), false);
            plan.toUnload().forEach(reconciler::unload);
            publisher.publish(fresh.get().node(), false);
            LOG.info("Shutting down: leaving {} pinned", names());
        } finally {
            host.close();
        }
    }

    private Optional<FreshView> freshView() {
        CompletableFuture<FreshView> read = CompletableFuture.supplyAsync(() -> new FreshView(
                Optional.ofNullable(client.genericKubernetesResources(ClusterView.NODES).withName(config.nodeName()).get()),
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

    private List<String> names() {
        return host.use(ProgramHost::states).stream().map(ResourceReport::name).sorted().toList();
    }
}
