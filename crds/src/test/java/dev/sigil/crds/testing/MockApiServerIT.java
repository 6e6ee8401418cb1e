package dev.sigil.crds.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import java.util.List;
import java.util.Map;
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
