package dev.sigil.crds;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.internal.CertUtils;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom Sigil's components trust when they connect to the API server: the cluster's certificate authority alone when
 * one is configured (a pod's service-account {@code ca.crt}, a kubeconfig's certificate authority), as client-go does.
 * Fabric8 adds the JDK's public roots to it (some 140 certificates), so any of those CAs could vouch for a server
 * posing as the API server to a privileged agent; each process would also keep them parsed on its heap (about
 * 0.8 MiB). With no CA configured, or with certificate checks turned off, Fabric8's own choice stands.
 */
public final class ApiServerTrust {
    private ApiServerTrust() {
    }

    /** A client for this configuration, with the given serialization, trusting only the configured cluster CA. */
    public static KubernetesClient connect(Config config, KubernetesSerialization serialization) {
        return connect(config, serialization, http -> {
        });
    }

    /** The same, with the HTTP client further set up by {@code http} (an interceptor, say). */
    public static KubernetesClient connect(Config config, KubernetesSerialization serialization,
            Consumer<HttpClient.Builder> http) {
        Consumer<HttpClient.Builder> trust = clusterCaOnly(config)
                .<Consumer<HttpClient.Builder>>map(clusterCa -> {
                    KeyManager[] clientCertificate = keyManagers(config);
                    return builder -> builder.sslContext(clientCertificate, clusterCa);
                })
                .orElse(builder -> {
                });
        return new KubernetesClientBuilder().withConfig(config).withKubernetesSerialization(serialization)
                .withHttpClientBuilderConsumer(trust.andThen(http)).build();
    }

    /** Trust managers for the configured cluster CA alone; empty when none is configured or checks are off. */
    static Optional<TrustManager[]> clusterCaOnly(Config config) {
        if (config.isTrustCerts() || (isBlank(config.getCaCertData()) && isBlank(config.getCaCertFile()))) {
            return Optional.empty();
        }
        try (InputStream pem = CertUtils.getInputStreamFromDataOrFile(config.getCaCertData(), config.getCaCertFile())) {
            Collection<? extends Certificate> authorities = CertificateFactory.getInstance("X.509").generateCertificates(pem);
            if (authorities.isEmpty()) {
                throw new IllegalArgumentException("cannot read the cluster CA (" + caSource(config) + "): no certificate in it");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate authority : authorities) {
                store.setCertificateEntry("cluster-ca-" + index++, authority);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return Optional.of(factory.getTrustManagers());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the cluster CA (" + caSource(config) + "): " + e.getMessage(), e);
        }
    }

    private static KeyManager[] keyManagers(Config config) {
        try {
            return SSLUtils.keyManagers(config);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the client certificate: " + e.getMessage(), e);
        }
    }

    private static String caSource(Config config) {
        return isBlank(config.getCaCertFile()) ? "inline certificate-authority-data" : config.getCaCertFile();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
