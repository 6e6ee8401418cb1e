package dev.sigil.crds.testing;

import dev.sigil.crds.schema.CommittedCrds;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A strict stand-in for kube-apiserver: Fabric8's mock server in CRUD mode, admitting writes as a real
 * server does ({@link StrictCrudDispatcher}) with Sigil's CRDs registered from the committed {@code crds/}
 * files, read as kubectl reads them. It starts with the namespaces every cluster has, can be stopped and
 * restarted on the same port, empty, to play an API server that went away and came back, and writes a
 * kubeconfig for processes of their own (the operator and agents as their launchers run them).
 */
public final class MockApiServer implements AutoCloseable {
    /** The namespaces a new cluster has; anything else a test must create, as on a real server. */
    public static final List<String> BUILT_IN_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    // Held here so the levels stick: the mock logs every request at INFO through java.util.logging, and
    // Vert.x warns with a stack trace whenever a loaded machine stalls the mock's event loop for 2 s.
    private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());
    private static final Logger VERTX_BLOCKED_THREAD_LOG = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");

    static {
        MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
        VERTX_BLOCKED_THREAD_LOG.setLevel(Level.SEVERE);
    }

    private final List<CustomResourceDefinition> crds;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private int port;

    private MockApiServer(List<CustomResourceDefinition> crds) {
        this.crds = crds;
        crds.forEach(CustomResources::precompile);
    }

    /** A server on a free loopback port, with the committed CRDs installed. */
    public static MockApiServer start() {
        return start(CommittedCrds.all());
    }

    /** A server with these CRDs installed, e.g. an older or broken copy of Sigil's. */
    public static MockApiServer start(List<CustomResourceDefinition> crds) {
        MockApiServer api = new MockApiServer(crds);
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

    /** Writes a kubeconfig that points at this server, for a process of its own ({@code KUBECONFIG}). */
    public Path writeKubeconfig(Path file) {
        String url = client.getMasterUrl().toString();
        try {
            return Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: mock
                      cluster: {server: "%s"}
                    users:
                    - name: admin
                      user: {token: "mock-admin"}
                    contexts:
                    - name: mock
                      context: {cluster: mock, user: admin}
                    current-context: mock
                    """.formatted(url));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
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
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new StrictCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), wantedPort);
        port = server.getPort();
        client = server.createClient();
        BUILT_IN_NAMESPACES.forEach(this::createNamespace);
        for (CustomResourceDefinition crd : crds) {
            client.resource(crd).create();
        }
    }
}
