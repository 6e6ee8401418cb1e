package dev.sigil.agent.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.crds.ApiServerTrust;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The cluster agent's Kubernetes client. Its serialization does not search the class path for every Kubernetes
 * resource class (Fabric8's default instantiates each one the model jars list, about 560 classes in the agent's
 * jar, to map kinds for untyped reads): the agent reads and writes its own typed resources, and Nodes, Pods and
 * Namespaces as {@code GenericKubernetesResource}s of stated resource definitions, never a kind looked up; a watch
 * event is converted to the watched type. It trusts the cluster's CA alone ({@link ApiServerTrust}).
 */
public final class AgentClient {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization(new ObjectMapper(), false);

    private AgentClient() {
    }

    public static KubernetesClient connect(Config config) {
        return ApiServerTrust.connect(config, SERIALIZATION);
    }

    /** The agent's one mapper, its client's: what it builds for the API server is written as the client writes. */
    static KubernetesSerialization serialization() {
        return SERIALIZATION;
    }
}
