package dev.sigil.agent.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.crds.ApiServerTrust;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The cluster agent's Kubernetes client, and which of its watches the API server is answering ({@link OpenWatches}).
 * It watches over plain HTTP rather than WebSockets, as client-go does: the JDK's WebSocket runs over HTTP/1.1 only,
 * so each watch would hold a connection and a TLS session of its own, on every node, next to the HTTP/2 connection
 * that carries everything else; over HTTP a watch is one more stream on that connection. Its serialization does not
 * search the class path for every Kubernetes resource class (Fabric8's default instantiates each one the model jars
 * list, about 560 classes in the agent's jar, to map kinds for untyped reads): the agent reads and writes its own typed
 * resources, and Nodes, Pods and Namespaces as {@code GenericKubernetesResource}s of stated resource definitions, never
 * a kind looked up; a watch event is converted to the watched type. It trusts the cluster's CA alone
 * ({@link ApiServerTrust}).
 */
public final class AgentClient implements AutoCloseable {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization(new ObjectMapper(), false);

    private final KubernetesClient kubernetes;
    private final OpenWatches watches;

    private AgentClient(KubernetesClient kubernetes, OpenWatches watches) {
        this.kubernetes = kubernetes;
        this.watches = watches;
    }

    public static AgentClient connect(Config config) {
        OpenWatches watches = new OpenWatches();
        Config watchingOverHttp = new ConfigBuilder(config).withOnlyHttpWatches(true).build();
        return new AgentClient(ApiServerTrust.connect(watchingOverHttp, SERIALIZATION,
                http -> http.addOrReplaceInterceptor(OpenWatches.NAME, watches)), watches);
    }

    public KubernetesClient kubernetes() {
        return kubernetes;
    }

    OpenWatches watches() {
        return watches;
    }

    @Override
    public void close() {
        kubernetes.close();
    }

    /** The agent's one mapper, its client's: what it builds for the API server is written as the client writes. */
    static KubernetesSerialization serialization() {
        return SERIALIZATION;
    }
}
