package dev.sigil.operator.nodes;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the BpfNodeState of a node that no longer exists. The agent gives each state an ownerReference to its
 * Node, so a real cluster's garbage collector does this too; the operator does it as well for clusters (and test
 * servers) where that owner was never set or GC lags, so deleted nodes never count in any program's status.
 *
 * <p>The program controller's informers name candidates (a node deleted, a state whose node they do not know); a
 * cache can trail a node that was just created, so only the API server's answer that the node is gone deletes.
 * Works on a thread of its own, one node at a time, trying again later when the API server does not answer.
 */
public final class NodeStateCollector implements AutoCloseable {
    static final Duration RETRY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(NodeStateCollector.class);

    private final KubernetesClient client;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sigil-node-state-collector").factory());

    public NodeStateCollector(KubernetesClient client) {
        this.client = client;
    }

    /** The node may be gone: its state is deleted if the API server confirms it. */
    public void nodeMayBeGone(String node) {
        schedule(node, Duration.ZERO);
    }

    private void schedule(String node, Duration delay) {
        if (!queued.add(node)) {
            return;
        }
        try {
            worker.schedule(() -> collect(node), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            queued.remove(node);
        }
    }

    private void collect(String node) {
        queued.remove(node);
        try {
            if (client.nodes().withName(node).get() == null
                    && !client.resources(BpfNodeState.class).withName(node).delete().isEmpty()) {
                LOG.info("node={} no longer exists; deleted its BpfNodeState", node);
            }
        } catch (KubernetesClientException e) {
            LOG.warn("node={} may be gone, but the API server did not answer ({}); trying again in {}", node,
                    e.getMessage(), RETRY);
            schedule(node, RETRY);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
