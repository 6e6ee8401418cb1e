package dev.sigil.agent.cluster;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of this node's {@link BpfNodeState}: creates it once, then patches its status
 * (JSON merge patch, resourceVersion-checked). A conflict or a vanished object (a new API server,
 * someone deleted it) is resolved by reading it again, or creating it again, and retrying.
 */
final class NodeStateWriter {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStateWriter.class);
    private static final int MAX_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final String nodeName;
    private String resourceVersion;

    NodeStateWriter(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    /** @throws KubernetesClientException when the API server is unreachable or keeps refusing */
    void write(HasMetadata node, BpfNodeStateStatus status) {
        for (int attempt = 1; ; attempt++) {
            if (resourceVersion == null) {
                resourceVersion = readOrCreate(node);
            }
            try {
                BpfNodeState written = resource().subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), BpfNodeStates.statusMergePatch(status, resourceVersion));
                resourceVersion = written.getMetadata().getResourceVersion();
                return;
            } catch (KubernetesClientException e) {
                boolean stale = e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND;
                if (!stale || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("BpfNodeState {} changed or vanished (HTTP {}); reading it again", nodeName, e.getCode());
                resourceVersion = null;
            }
        }
    }

    private String readOrCreate(HasMetadata node) {
        BpfNodeState existing = resource().get();
        if (existing != null) {
            return existing.getMetadata().getResourceVersion();
        }
        try {
            BpfNodeState created = client.resource(BpfNodeStates.newNodeState(node)).create();
            LOG.info("Created BpfNodeState {}", nodeName);
            return created.getMetadata().getResourceVersion();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            return resource().require().getMetadata().getResourceVersion();
        }
    }

    private Resource<BpfNodeState> resource() {
        return client.resources(BpfNodeState.class).withName(nodeName);
    }
}
