package dev.sigil.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.crds.testing.MockApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServerTrustIT {
    private static MockApiServer api;
    private static String url;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() {
        api = MockApiServer.startWithTls();
        url = api.client().getMasterUrl().toString();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aClientTrustingTheClusterCaReachesTheApiServer() throws Exception {
        Path ca = api.writeCertificate(temp.resolve("ca.crt"));
        Config fromFile = config().withCaCertFile(ca.toString()).build();
        Config inline = config().withCaCertData(java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(ca))).build();

        for (Config config : new Config[] {fromFile, inline}) {
            try (KubernetesClient client = ApiServerTrust.connect(config, new KubernetesSerialization())) {
                assertThat(client.namespaces().withName("default").get()).isNotNull();
            }
        }
    }

    @Test
    void trustsTheClusterCaAloneWhereFabric8AddsTheJdksPublicRoots() throws Exception {
        Config config = config().withCaCertFile(api.writeCertificate(temp.resolve("alone.crt")).toString()).build();

        X509Certificate[] ours = issuers(ApiServerTrust.clusterCaOnly(config).orElseThrow());
        X509Certificate[] fabric8s = issuers(SSLUtils.trustManagers(config));

        assertThat(ours).singleElement().extracting(certificate -> certificate.getSubjectX500Principal().getName())
                .asString().contains("CN=kube-apiserver");
        assertThat(fabric8s.length).as("Fabric8 merges the JDK's cacerts with the cluster CA").isGreaterThan(50);
    }

    @Test
    void aServerPresentingAnotherCertificateIsRefused() {
        Path other;
        try (MockApiServer elsewhere = MockApiServer.startWithTls()) {
            other = elsewhere.writeCertificate(temp.resolve("other.crt"));
        }
        Config config = config().withCaCertFile(other.toString()).build();

        try (KubernetesClient client = ApiServerTrust.connect(config, new KubernetesSerialization())) {
            assertThatThrownBy(() -> client.namespaces().withName("default").get())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasStackTraceContaining("SSLHandshakeException").hasStackTraceContaining("PKIX path validation failed");
        }
    }

    @Test
    void leavesFabric8sChoiceWithoutACaOrWithChecksOff() {
        assertThat(ApiServerTrust.clusterCaOnly(config().build())).isEmpty();
        assertThat(ApiServerTrust.clusterCaOnly(config().withCaCertFile("/nonexistent/ca.crt").withTrustCerts(true).build())).isEmpty();
    }

    @Test
    void aCaFileWithoutACertificateIsAOneLineError() throws Exception {
        Path empty = Files.writeString(temp.resolve("empty.crt"), "not a certificate\n");
        Path missing = temp.resolve("missing.crt");

        assertThatThrownBy(() -> ApiServerTrust.clusterCaOnly(config().withCaCertFile(empty.toString()).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot read the cluster CA (" + empty + "): ")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ApiServerTrust.clusterCaOnly(config().withCaCertFile(missing.toString()).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot read the cluster CA (" + missing + "): ");
    }

    private static ConfigBuilder config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url).withRequestRetryBackoffLimit(0);
    }

    private static X509Certificate[] issuers(TrustManager[] managers) {
        return Arrays.stream(managers).filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast)
                .flatMap(manager -> Arrays.stream(manager.getAcceptedIssuers())).toArray(X509Certificate[]::new);
    }
}
