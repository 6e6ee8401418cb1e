package dev.sigil.crds.testing;

import dev.sigil.crds.schema.CommittedCrds;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.TlsVersion;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * A strict stand-in for kube-apiserver: Fabric8's mock server in CRUD mode, admitting writes as a real
 * server does ({@link StrictCrudDispatcher}) with Sigil's CRDs registered from the committed {@code crds/}
 * files, read as kubectl reads them, and serving watches over plain HTTP as well as WebSockets
 * ({@link MockHttpServer}). It starts with the namespaces every cluster has, can be stopped and
 * restarted on the same port, empty, to play an API server that went away and came back, and writes a
 * kubeconfig for processes of their own (the operator and agents as their launchers run them).
 */
public final class MockApiServer implements AutoCloseable {
    /** The namespaces a new cluster has; anything else a test must create, as on a real server. */
    public static final List<String> BUILT_IN_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    // Held here so the level sticks: Vert.x warns with a stack trace whenever a loaded machine stalls the mock's
    // event loop for 2 s.
    private static final Logger VERTX_BLOCKED_THREAD_LOG = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");

    static {
        VERTX_BLOCKED_THREAD_LOG.setLevel(Level.SEVERE);
    }

    private final List<CustomResourceDefinition> crds;
    private final Optional<KeyPair> tlsKey;
    private final Optional<X509Certificate> tlsCertificate;
    private MockHttpServer server;
    private StrictCrudDispatcher dispatcher;
    private TlsFront front;
    private KubernetesClient client;
    private int port;

    private MockApiServer(List<CustomResourceDefinition> crds, boolean tls) {
        this.crds = crds;
        this.tlsKey = tls ? Optional.of(TlsFront.newKey()) : Optional.empty();
        this.tlsCertificate = tlsKey.map(TlsFront::certify);
        crds.forEach(CustomResources::precompile);
    }

    /** A server on a free loopback port, with the committed CRDs installed. */
    public static MockApiServer start() {
        return start(CommittedCrds.all());
    }

    /** A server with these CRDs installed, e.g. an older or broken copy of Sigil's. */
    public static MockApiServer start(List<CustomResourceDefinition> crds) {
        MockApiServer api = new MockApiServer(crds, false);
        api.startOn(0);
        return api;
    }

    /**
     * A server that speaks TLS, offering HTTP/2 through ALPN, as a real API server does, at {@code 127.0.0.1} on a
     * self-signed certificate for that address ({@link #writeCertificate}, {@link TlsFront}): for measuring a client
     * as it runs in a cluster, where the TLS stack and HTTP/2 are part of its cost. Its {@link #client()} trusts that
     * certificate.
     */
    public static MockApiServer startWithTls() {
        MockApiServer api = new MockApiServer(CommittedCrds.all(), true);
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

    /**
     * Writes the certificate this TLS server presents, as PEM, for a client to trust as a pod trusts its service
     * account's {@code ca.crt} ({@code KUBERNETES_CERTS_CA_FILE}). A {@link #restart()} presents the same one.
     */
    public Path writeCertificate(Path file) {
        try {
            return Files.writeString(file, certificatePem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String certificatePem() {
        X509Certificate certificate = tlsCertificate.orElseThrow(
                () -> new IllegalStateException("this API server speaks plain HTTP; start it with startWithTls()"));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pem.toString();
    }

    public void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    public Node createNode(String name, Map<String, String> labels) {
        return client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .build()).create();
    }

    /**
     * Ends every open watch, as kube-apiserver does when a watch's timeout runs out (every 30-60 minutes with its
     * default {@code --min-request-timeout}); clients resume them from the last version they saw. Returns how many.
     */
    public int endWatches() {
        return dispatcher.openWatches().endAll();
    }

    /** How many watches are open now. */
    public int openWatches() {
        return dispatcher.openWatches().count();
    }

    /** How many lists of this collection (an API path, without query) this server, since its last start, served. */
    public long lists(String collectionPath) {
        return dispatcher.lists(collectionPath);
    }

    /** The server goes away: connections are refused until {@link #restart()}. */
    public void stop() {
        if (server != null) {
            client.close();
            if (front != null) {
                front.close();
                front = null;
            }
            server.close();
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
        dispatcher = new StrictCrudDispatcher();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        if (tlsKey.isPresent()) {
            server = MockHttpServer.start(loopback, 0, dispatcher);
            front = TlsFront.start(tlsKey.get(), tlsCertificate.orElseThrow(), wantedPort, server.port());
            port = front.port();
            client = new KubernetesClientBuilder().withConfig(clientConfig()
                    .withMasterUrl("https://" + loopback.getHostAddress() + ":" + port)
                    .withCaCertData(Base64.getEncoder().encodeToString(certificatePem().getBytes(StandardCharsets.US_ASCII)))
                    .build()).build();
        } else {
            server = MockHttpServer.start(loopback, wantedPort, dispatcher);
            port = server.port();
            client = new KubernetesClientBuilder().withConfig(clientConfig()
                    .withMasterUrl("http://" + loopback.getHostName() + ":" + port + "/")
                    .withTrustCerts(true)
                    .build()).build();
        }
        BUILT_IN_NAMESPACES.forEach(this::createNamespace);
        for (CustomResourceDefinition crd : crds) {
            client.resource(crd).create();
        }
    }

    /** The configuration Fabric8's mock gives its clients (namespace {@code test}, a token, HTTP/1.1), but the URL. */
    private static ConfigBuilder clientConfig() {
        NamedContext context = new NamedContextBuilder().withName("fabric8-mock-server-context")
                .withNewContext().withNamespace("test").withUser("fabric8-mock-server-user").endContext().build();
        return new ConfigBuilder(Config.empty())
                .withTlsVersions(TlsVersion.TLS_1_2)
                .withNamespace("test")
                .withHttp2Disable(true)
                .addToContexts(context)
                .withCurrentContext(context)
                .withUsername("fabric8-mock-server-user")
                .withOauthToken("secret");
    }
}
