package dev.sigil.agent.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;

/**
 * A Fabric8 mock API server in CRUD mode with Sigil's generated CRDs registered (so the status
 * subresource behaves), restartable on the same port to play an API server that went away.
 */
final class MockApiServer implements AutoCloseable {
    private static final java.util.logging.Logger QUIET_MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");
    private static final String[] CRDS = {
        "META-INF/fabric8/signedbpfprograms.sigil.dev-v1.yml",
        "META-INF/fabric8/bpfnodestates.sigil.dev-v1.yml",
    };

    static {
        // The mock applies JSON merge patches with Jackson's readerForUpdating, which appends to
        // arrays; RFC 7386 (and a real API server) replaces them. Make its mapper replace arrays, so
        // a status patch whose program list shrinks behaves here as it does in production.
        Serialization.jsonMapper().configOverride(ArrayNode.class).setMergeable(false);
        QUIET_MOCK_LOG.setLevel(Level.WARNING);
    }

    private KubernetesMockServer server;
    private KubernetesClient admin;
    private int port;

    static MockApiServer start() {
        MockApiServer api = new MockApiServer();
        api.startOn(0);
        return api;
    }

    /** A fresh, empty API server on the port the old one used: what a client sees after an outage and a restore. */
    void restart() {
        stop();
        startOn(port);
    }

    void stop() {
        if (server != null) {
            admin.close();
            server.destroy();
            server = null;
        }
    }

    private void startOn(int wantedPort) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), wantedPort);
        port = server.getPort();
        admin = server.createClient();
        for (String crd : CRDS) {
            try (InputStream yaml = getClass().getClassLoader().getResourceAsStream(crd)) {
                admin.apiextensions().v1().customResourceDefinitions().load(yaml).create();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** For tests to create and inspect objects. */
    KubernetesClient admin() {
        return admin;
    }

    /**
     * A client for the agent that outlives restarts: same URL, and no long retry loops that would
     * hold the reconciler while the server is away.
     */
    KubernetesClient newAgentClient() {
        Config config = new ConfigBuilder(admin.getConfiguration())
                .withRequestRetryBackoffLimit(0)
                .withRequestTimeout(2_000)
                .withWatchReconnectInterval(100)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    Node createNode(String name, Map<String, String> labels) {
        return admin.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).withUid(UUID.randomUUID().toString()).withLabels(labels).endMetadata()
                .build()).create();
    }

    @Override
    public void close() {
        stop();
    }
}
