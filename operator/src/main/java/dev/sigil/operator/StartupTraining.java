package dev.sigil.operator;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The workload the build records the operator's JDK AOT cache from ({@code SIGIL_AOT_TRAIN=1
 * bin/sigil-operator}, see build-tools/jdk.sh): everything the operator's start-up does short of
 * talking to an API server, which a build does not have — flags, the config file, the client, the
 * controllers and their metrics.
 */
final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        for (String flag : new String[] {"--help", "--version"}) {
            CommandLine commandLine = new CommandLine(new OperatorMain());
            commandLine.setOut(new PrintWriter(Writer.nullWriter()));
            commandLine.execute(flag);
        }
        Path config = Files.createTempFile("sigil-operator-aot-training", ".yaml");
        try {
            Files.writeString(config, "agent: {image: registry.invalid/sigil-agent:training}\n");
            OperatorMain main = new OperatorMain();
            new CommandLine(main).parseArgs("--trust-configmap", "sigil-system/sigil-trust", "--config", config.toString());
            OperatorConfig operatorConfig = main.config();
            // Nothing listens on port 1: the client is built and configured, never connected.
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()).build()) {
                PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                SigilOperator.create(client, operatorConfig, Optional.empty(), registry, Clock.systemUTC());
            }
        } finally {
            Files.delete(config);
        }
    }
}
