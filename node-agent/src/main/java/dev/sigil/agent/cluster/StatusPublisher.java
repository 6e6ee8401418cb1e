package dev.sigil.agent.cluster;

import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the node's status through its one {@link NodeStateWriter}: news only, unless a heartbeat is due or the
 * API server may have lost what was written. A run of failed writes is logged once, and once more when writing
 * works again.
 */
final class StatusPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);

    private final NodeStateWriter writer;
    private final CallBound writeBound;
    private final String nodeName;
    private BpfNodeStateStatus lastWritten;
    private boolean failing;

    /** @param writeBound how long one publish may wait for the API server (its reads and retries included) */
    StatusPublisher(KubernetesClient client, String nodeName, Duration writeBound) {
        this.writer = new NodeStateWriter(client, nodeName);
        this.writeBound = new CallBound(writeBound);
        this.nodeName = nodeName;
    }

    /**
     * @param heartbeat write even an unchanged report, so the operator sees the agent alive
     * @throws KubernetesClientException when the status could not be written; the next publish writes it
     */
    synchronized void publish(HasMetadata node, BpfNodeStateStatus status, boolean heartbeat) {
        if (!heartbeat && lastWritten != null && BpfNodeStates.sameReport(lastWritten, status)) {
            return;
        }
        try {
            writeBound.run("writing BpfNodeState " + nodeName, () -> writer.write(node, status));
        } catch (KubernetesClientException e) {
            lastWritten = null;
            if (!failing) {
                LOG.warn("Cannot write BpfNodeState {} (retrying): {} ({})", nodeName, e.getMessage(), String.valueOf(e.getCause()));
            }
            failing = true;
            throw e;
        }
        lastWritten = status;
        if (failing) {
            LOG.info("BpfNodeState {} written again", nodeName);
        }
        failing = false;
    }

    /** The API server may have lost the status (it came back, perhaps restored or rebuilt): write it next time. */
    synchronized void forget() {
        lastWritten = null;
    }
}
