package dev.sigil.crds.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockApiServerIT {
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private MockApiServer api;

    @BeforeEach
    void start() {
        api = MockApiServer.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void mergePatchReplacesArraysAsRfc7386Says() {
        createNodeState("node-a");
        patchStatus("node-a", """
                {"status": {"programCount": 2, "programs": [{"name": "first"}, {"name": "second"}]}}""");

        BpfNodeState patched = patchStatus("node-a", """
                {"status": {"programCount": 1, "programs": [{"name": "second"}]}}""");

        assertThat(patched.getStatus().getProgramCount()).isEqualTo(1);
        assertThat(patched.getStatus().getPrograms()).singleElement()
                .satisfies(entry -> assertThat(entry.getName()).isEqualTo("second"));
    }

    @Test
    void mergePatchDeletesWhatItSetsToNull() {
        api.createNode("node-a", Map.of("sigil.dev/agent", "true", "kubernetes.io/os", "linux"));

        api.client().nodes().withName("node-a").patch(MERGE, """
                {"metadata": {"labels": {"sigil.dev/agent": null}}}""");

        assertThat(api.client().nodes().withName("node-a").get().getMetadata().getLabels())
                .containsExactlyEntriesOf(Map.of("kubernetes.io/os", "linux"));
    }

    @Test
    void restartsEmptyOnTheSamePortWithTheCrdsRegistered() {
        try (KubernetesClient outlivesRestarts = api.newFailFastClient()) {
            api.createNode("node-a", Map.of());
            createNodeState("node-a");

            api.stop();
            assertThatThrownBy(() -> outlivesRestarts.nodes().list()).isInstanceOf(KubernetesClientException.class);

            api.restart();
            assertThat(outlivesRestarts.nodes().list().getItems()).isEmpty();
            assertThat(outlivesRestarts.resources(BpfNodeState.class).list().getItems()).isEmpty();
            createNodeState("node-b");
            assertThat(patchStatus("node-b", """
                    {"status": {"programCount": 0}}""").getStatus().getProgramCount()).isZero();
        }
    }

    /**
     * What the footprint bench relies on: as a pod meets the API server, at an address its certificate names, with
     * HTTP/2; a client that trusts only the written certificate gets through, one that does not is refused.
     */
    @Test
    void speaksTlsAndHttp2AtAnAddressItsCertificateNames(@TempDir Path temp) throws Exception {
        assertThatThrownBy(() -> api.writeCertificate(temp.resolve("plain.crt")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("plain HTTP");

        try (MockApiServer tls = MockApiServer.startWithTls()) {
            String url = tls.client().getMasterUrl().toString();
            assertThat(url).startsWith("https://127.0.0.1:");
            Path certificate = tls.writeCertificate(temp.resolve("api-server.crt"));
            assertThat(certificate).content().startsWith("-----BEGIN CERTIFICATE-----\n");
            try (var pem = Files.newInputStream(certificate)) {
                X509Certificate written = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
                assertThat(written.getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
            }

            SSLContext trustingTheCertificate = SSLUtils.sslContext(null,
                    SSLUtils.trustManagers(new ConfigBuilder().withCaCertFile(certificate.toString()).build()));
            try (HttpClient http = HttpClient.newBuilder().sslContext(trustingTheCertificate).build()) {
                HttpResponse<String> namespaces = http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/namespaces")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(namespaces.statusCode()).isEqualTo(200);
                assertThat(namespaces.version()).as("negotiated through ALPN").isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(namespaces.body()).contains("\"kube-node-lease\"");
            }

            Config trustingIt = new ConfigBuilder().withMasterUrl(url).withCaCertFile(certificate.toString())
                    .withRequestRetryBackoffLimit(0).build();
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(trustingIt).build()) {
                assertThat(client.namespaces().list().getItems()).extracting(namespace -> namespace.getMetadata().getName())
                        .containsAll(MockApiServer.BUILT_IN_NAMESPACES);
            }
            Config trustingTheJdkRootsOnly = new ConfigBuilder().withMasterUrl(url).withRequestRetryBackoffLimit(0).build();
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(trustingTheJdkRootsOnly).build()) {
                assertThatThrownBy(() -> client.namespaces().list()).isInstanceOf(KubernetesClientException.class)
                        .hasRootCauseInstanceOf(CertPathBuilderException.class);
            }
        }
    }

    /**
     * A watch over plain HTTP, as client-go and kubectl watch: one JSON event per line in a response that stays open,
     * until the server ends it as a watch's timeout would; the stock mock serves watches only as WebSockets.
     */
    @Test
    void streamsAWatchOverPlainHttpOneEventPerLineUntilItsTimeout() throws Exception {
        String nodes = api.client().getMasterUrl() + "api/v1/nodes?watch=true";
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<Stream<String>> watch = http.send(HttpRequest.newBuilder(URI.create(nodes))
                    .header("Authorization", "Bearer mock-admin").build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(watch.statusCode()).isEqualTo(200);
            assertThat(watch.headers().firstValue("Content-Type")).hasValue("application/json");
            await().until(() -> api.openWatches() == 1);

            Iterator<String> lines = watch.body().iterator();
            api.createNode("node-a", Map.of());
            assertThat(lines.next()).startsWith("{").contains("\"type\":\"ADDED\"", "\"name\":\"node-a\"");
            api.createNode("node-b", Map.of());
            assertThat(lines.next()).contains("\"type\":\"ADDED\"", "\"name\":\"node-b\"");

            assertThat(api.endWatches()).isEqualTo(1);
            assertThat(lines.hasNext()).as("the response ended").isFalse();
            assertThat(api.openWatches()).isZero();
        } finally {
            http.shutdownNow(); // close() would wait for a watch a failed assertion left open
        }
    }

    /** Fabric8 with HTTP watches, over HTTP/1.1 and over TLS and HTTP/2: events arrive, an ended watch is resumed. */
    @Test
    void aClientWatchingOverHttpResumesTheWatchTheServerEnded() throws Exception {
        watchOverHttpThroughAnEnd(api, api.newFailFastClient().getConfiguration());
        try (MockApiServer tls = MockApiServer.startWithTls()) {
            watchOverHttpThroughAnEnd(tls, new ConfigBuilder(tls.newFailFastClient().getConfiguration())
                    .withHttp2Disable(false).build());
        }
    }

    /**
     * Why the cluster agent, which watches over HTTP, tells a live watch by its answer rather than by the informer
     * (its {@code OpenWatches}): Fabric8 counts a watch over HTTP as watching only once its first event arrives, so an
     * informer of a quiet object (a node's own state) reads as not watching until then, which the agent would take
     * for an outage. If this fails, Fabric8 changed and the agent's own test could go.
     */
    @Test
    void fabric8CountsAWatchOverHttpAsWatchingOnlyOnceAnEventArrived() throws Exception {
        Config failFast = api.newFailFastClient().getConfiguration();
        try (KubernetesClient client = clientOf(failFast, false);
                SharedIndexInformer<Node> quiet = client.nodes().withField("metadata.name", "quiet-websocket").inform()) {
            await().until(() -> quiet.hasSynced() && api.openWatches() == 1);
            await().until(quiet::isWatching);
        }
        await().until(() -> api.openWatches() == 0);

        try (KubernetesClient client = clientOf(failFast, true);
                SharedIndexInformer<Node> quiet = client.nodes().withField("metadata.name", "quiet-http").inform()) {
            await().until(() -> quiet.hasSynced() && api.openWatches() == 1);
            Thread.sleep(2_000);
            assertThat(quiet.isWatching()).as("an open HTTP watch that has had no event").isFalse();
            api.createNode("quiet-http", Map.of());
            await().until(quiet::isWatching);
        }
        await().until(() -> api.openWatches() == 0);
    }

    private static KubernetesClient clientOf(Config config, boolean onlyHttpWatches) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(config).withOnlyHttpWatches(onlyHttpWatches).build()).build();
    }

    private static void watchOverHttpThroughAnEnd(MockApiServer server, Config config) throws Exception {
        BlockingQueue<String> added = new LinkedBlockingQueue<>();
        try (KubernetesClient client = clientOf(config, true);
                Watch ignored = client.nodes().watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Node node) {
                        added.add(action + " " + node.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        added.add("closed: " + cause);
                    }
                })) {
            await().until(() -> server.openWatches() == 1);
            server.createNode("before-the-end", Map.of());
            assertThat(added.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED before-the-end");

            assertThat(server.endWatches()).isEqualTo(1);
            await().until(() -> server.openWatches() == 1);
            server.createNode("after-the-end", Map.of());
            // Fabric8's mock replays the last object seen at the resumed version (kube-apiserver sends only what
            // is newer): skip that, and nothing but that.
            String next = added.poll(10, TimeUnit.SECONDS);
            if ("ADDED before-the-end".equals(next)) {
                next = added.poll(10, TimeUnit.SECONDS);
            }
            assertThat(next).isEqualTo("ADDED after-the-end");
            assertThat(added).as("no watch closed on the client").isEmpty();
        }
    }

    /** Objects are found by name through an index of the store (StoredNames): it must answer as a scan would. */
    @Test
    void objectsOfTheSameNameAreToldApartByKindAndNamespaceThroughRelabelsAndDeletes() {
        api.createNode("shared", Map.of("tier", "edge"));
        createNodeState("shared");
        api.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("shared").endMetadata().addToData("k", "default").build()).create();
        api.client().configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("shared").endMetadata().addToData("k", "kube-system").build()).create();

        assertThatThrownBy(() -> api.createNode("shared", Map.of()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        api.client().nodes().withName("shared").patch(MERGE, """
                {"metadata": {"labels": {"tier": "core"}}}""");
        assertThat(api.client().nodes().withName("shared").get().getMetadata().getLabels()).containsEntry("tier", "core");
        assertThat(patchStatus("shared", """
                {"status": {"programCount": 3}}""").getStatus().getProgramCount()).isEqualTo(3);
        assertThat(api.client().configMaps().inNamespace("kube-system").withName("shared").get().getData())
                .containsEntry("k", "kube-system");

        api.client().configMaps().inNamespace("default").withName("shared").delete();
        assertThat(api.client().configMaps().inNamespace("default").withName("shared").get()).isNull();
        assertThat(api.client().configMaps().inNamespace("kube-system").withName("shared").get()).isNotNull();
        assertThat(api.client().nodes().withName("shared").get().getMetadata().getLabels()).containsEntry("tier", "core");
        assertThat(api.client().resources(BpfNodeState.class).withName("shared").get().getStatus().getProgramCount())
                .isEqualTo(3);
        assertThat(api.client().nodes().withName("absent").get()).isNull();
    }

    private void createNodeState(String name) {
        BpfNodeState state = new BpfNodeState();
        state.getMetadata().setName(name);
        api.client().resource(state).create();
    }

    private BpfNodeState patchStatus(String name, String patch) {
        return api.client().resources(BpfNodeState.class).withName(name).subresource("status").patch(MERGE, patch);
    }
}
