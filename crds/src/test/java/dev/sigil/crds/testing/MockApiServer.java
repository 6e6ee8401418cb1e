package dev.sigil.crds.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.crds.schema.GeneratedCrds;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherHandler;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Fabric8 mock API server in CRUD mode with Sigil's generated CRDs registered, so the status
 * subresource and cluster scope behave as on a real server. JSON merge patches are applied as RFC 7386
 * says and API servers do (arrays replaced, {@code null} deletes): the stock mock merges arrays by
 * appending, so a node agent's status patch would pile up every report it ever made. It can be stopped
 * and restarted on the same port, empty, to play an API server that went away and came back.
 */
public final class MockApiServer implements AutoCloseable {
    // Held here so the level sticks: the mock logs every request at INFO through java.util.logging.
    private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());

    static {
        MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    }

    private KubernetesMockServer server;
    private KubernetesClient client;
    private int port;

    private MockApiServer() {
    }

    /** A server on a free loopback port. */
    public static MockApiServer start() {
        MockApiServer api = new MockApiServer();
        api.startOn(0);
        return api;
    }

    /** A client with full access, for tests to create and inspect objects; replaced by {@link #restart()}. */
    public KubernetesClient client() {
        return client;
    }

    /**
     * A client of the caller's own that outlives restarts, configured as an agent would want it:
     * same URL, no long retry loops that would hold a reconciler while the server is away, and
     * watches that reconnect quickly once it is back. The caller closes it.
     */
    public KubernetesClient newFailFastClient() {
        Config config = new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0)
                .withRequestTimeout(2_000)
                .withWatchReconnectInterval(100)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    public Node createNode(String name, Map<String, String> labels) {
        return client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .build()).create();
    }

    /** The server goes away: connections are refused until {@link #restart()}. */
    public void stop() {
        if (server != null) {
            client.close();
            server.destroy();
            server = null;
        }
    }

    /** A fresh, empty API server on the port the old one used: what a client sees after an outage and a restore. */
    public void restart() {
        stop();
        startOn(port);
    }

    @Override
    public void close() {
        stop();
    }

    private void startOn(int wantedPort) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new Rfc7386CrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), wantedPort);
        port = server.getPort();
        client = server.createClient();
        for (CustomResourceDefinition crd : GeneratedCrds.all()) {
            client.resource(crd).create();
        }
    }

    private static final class Rfc7386CrudDispatcher extends KubernetesCrudDispatcher {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public JsonNode merge(JsonNode baseResource, String patch) throws KubernetesCrudDispatcherException {
            try {
                return mergePatch(baseResource.deepCopy(), JSON.readTree(patch));
            } catch (JsonProcessingException e) {
                throw new KubernetesCrudDispatcherException(e.getMessage(),
                        KubernetesCrudDispatcherHandler.HTTP_UNPROCESSABLE_ENTITY);
            }
        }

        private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
            if (!patch.isObject()) {
                return patch;
            }
            ObjectNode merged = target != null && target.isObject()
                    ? (ObjectNode) target : JsonNodeFactory.instance.objectNode();
            patch.properties().forEach(field -> {
                if (field.getValue().isNull()) {
                    merged.remove(field.getKey());
                } else {
                    merged.set(field.getKey(), mergePatch(merged.get(field.getKey()), field.getValue()));
                }
            });
            return merged;
        }
    }
}
