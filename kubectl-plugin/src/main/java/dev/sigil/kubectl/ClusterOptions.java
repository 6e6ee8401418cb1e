package dev.sigil.kubectl;

import dev.sigil.crds.ApiServerTrust;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Which cluster to read, chosen as kubectl chooses it: {@code --kubeconfig}, else {@code KUBECONFIG}
 * (files joined with ':'), else {@code ~/.kube/config}, else the in-cluster service account;
 * {@code --context} picks a context other than the current one. Like kubectl, it trusts the kubeconfig's certificate
 * authority alone ({@link ApiServerTrust}).
 */
final class ClusterOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).")
    File kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context to use (default: its current context).")
    String context;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for each API request (default ${DEFAULT-VALUE}).")
    int requestTimeoutSeconds;

    KubernetesClient connect() {
        Config base;
        if (kubeconfig != null) {
            if (!Files.isRegularFile(kubeconfig.toPath())) {
                throw new PluginException(KubectlSigil.USAGE, "--kubeconfig " + kubeconfig + ": no such file");
            }
            base = Config.fromKubeconfig(context, kubeconfig);
        } else {
            base = Config.autoConfigure(context);
        }
        if (context != null && (base.getCurrentContext() == null || !context.equals(base.getCurrentContext().getName()))) {
            throw new PluginException(KubectlSigil.USAGE, "--context " + context + ": no such context in the kubeconfig");
        }
        if (requestTimeoutSeconds < 1) {
            throw new PluginException(KubectlSigil.USAGE, "--request-timeout " + requestTimeoutSeconds + ": must be at least 1 second");
        }
        int timeoutMillis = Math.toIntExact(Duration.ofSeconds(requestTimeoutSeconds).toMillis());
        Config config = new ConfigBuilder(base)
                // A command line answers or fails now: no long back-off behind a refused connection.
                .withRequestRetryBackoffLimit(0)
                .withRequestTimeout(timeoutMillis)
                .withConnectionTimeout(timeoutMillis)
                // Over plain HTTP (kubectl proxy, a local test server) the JDK client would try an h2c upgrade on
                // every new connection; API servers speak HTTP/2 only over TLS, so plain HTTP stays HTTP/1.1.
                .withHttp2Disable(base.getMasterUrl() != null && base.getMasterUrl().startsWith("http:"))
                .build();
        try {
            return ApiServerTrust.connect(config, new KubernetesSerialization());
        } catch (IllegalArgumentException e) {
            throw new PluginException(KubectlSigil.USAGE, e.getMessage(), e);
        }
    }

    ClusterReader reader(KubernetesClient client) {
        return new ClusterReader(client, Duration.ofSeconds(requestTimeoutSeconds));
    }
}
