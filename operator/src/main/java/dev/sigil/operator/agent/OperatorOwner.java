package dev.sigil.operator.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the workload that runs the operator (normally its Deployment) so the agent DaemonSet can be
 * owned by it: uninstalling the operator then removes the agents through garbage collection. Both live
 * in the operator's namespace, so the ownerReference is valid (a cluster-scoped SignedBpfProgram could
 * own it too, but the DaemonSet serves all programs, and deleting one must not remove the agents).
 */
public final class OperatorOwner {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorOwner.class);
    private static final int MAX_OWNER_DEPTH = 5;

    private OperatorOwner() {
    }

    /**
     * Follows controller ownerReferences up from the operator's pod (named by the downward API's
     * {@code POD_NAME}) to the topmost controller.
     *
     * @return empty when running outside a cluster, for a bare pod, or when the chain cannot be read
     */
    public static Optional<OwnerReference> resolve(KubernetesClient client, String namespace, Optional<String> podName) {
        if (podName.isEmpty()) {
            LOG.info("POD_NAME not set (running outside the cluster?): the agent DaemonSet gets no owner and "
                    + "outlives this operator");
            return Optional.empty();
        }
        try {
            HasMetadata current = client.pods().inNamespace(namespace).withName(podName.get()).get();
            if (current == null) {
                LOG.warn("Pod {}/{} (POD_NAME) not found: the agent DaemonSet gets no owner", namespace, podName.get());
                return Optional.empty();
            }
            Optional<OwnerReference> top = Optional.empty();
            for (int depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
                Optional<OwnerReference> controller = current.getMetadata().getOwnerReferences().stream()
                        .filter(ref -> Boolean.TRUE.equals(ref.getController()))
                        .findFirst();
                if (controller.isEmpty()) {
                    break;
                }
                OwnerReference ref = controller.get();
                top = Optional.of(new OwnerReferenceBuilder()
                        .withApiVersion(ref.getApiVersion())
                        .withKind(ref.getKind())
                        .withName(ref.getName())
                        .withUid(ref.getUid())
                        .build());
                current = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind())
                        .inNamespace(namespace).withName(ref.getName()).get();
                if (current == null) {
                    break;
                }
            }
            if (top.isEmpty()) {
                LOG.warn("Pod {}/{} has no controller: the agent DaemonSet gets no owner", namespace, podName.get());
            }
            return top;
        } catch (KubernetesClientException e) {
            LOG.warn("Cannot follow the operator pod's owners ({}): the agent DaemonSet gets no owner", e.getMessage());
            return Optional.empty();
        }
    }
}
