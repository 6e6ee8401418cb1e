package dev.sigil.operator;

import dev.sigil.crds.ApiServerTrust;
import dev.sigil.crds.SigilVersion;
import dev.sigil.operator.agent.OperatorOwner;
import dev.sigil.operator.http.HttpEndpoints.Response;
import dev.sigil.operator.http.HttpEndpoints;
import dev.sigil.operator.trust.ObjectRef;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Runs the Sigil operator in a cluster (service-account config) or from a workstation (the current
 * kubeconfig). Every flag has an environment variable; flags win.
 */
@Command(name = "sigil-operator", sortOptions = false, versionProvider = OperatorMain.Version.class,
        description = "Verifies SignedBpfPrograms, schedules the Sigil node agent onto the nodes that need it, "
                + "and folds the nodes' reports into each program's status.")
public final class OperatorMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);
    /** Inside Kubernetes' default 30 s grace period, and the 10 s a rollout should wait at most. */
    private static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(8);

    @Option(names = "--namespace", defaultValue = "${env:SIGIL_NAMESPACE:-sigil-system}",
            description = "Namespace of the agent DaemonSet and the leader-election Lease "
                    + "(env SIGIL_NAMESPACE; default ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--trust-configmap", paramLabel = "NAMESPACE/NAME", defaultValue = "${env:SIGIL_TRUST_CONFIGMAP}",
            description = "ConfigMap of trust anchors (*.pem keys) and revocation lists (revoked-certificates, "
                    + "revoked-loaders); required (env SIGIL_TRUST_CONFIGMAP).")
    String trustConfigMap;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:SIGIL_OPERATOR_CONFIG}",
            description = "YAML file with agent settings and deletionTimeout (env SIGIL_OPERATOR_CONFIG).")
    Path configFile;

    @Option(names = "--leader-election", negatable = true, defaultValue = "${env:SIGIL_LEADER_ELECTION:-true}",
            fallbackValue = "true",
            description = "Elect a leader through the Lease '" + OperatorConfig.LEASE_NAME + "' in the namespace "
                    + "(env SIGIL_LEADER_ELECTION; default ${DEFAULT-VALUE}).")
    boolean leaderElection;

    @Option(names = "--health-port", defaultValue = "${env:SIGIL_HEALTH_PORT:-8081}",
            description = "Port of /healthz and /readyz (env SIGIL_HEALTH_PORT; default ${DEFAULT-VALUE}).")
    int healthPort;

    @Option(names = "--metrics-port", defaultValue = "${env:SIGIL_METRICS_PORT:-8080}",
            description = "Port of /metrics, Prometheus text format (env SIGIL_METRICS_PORT; default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    public static void main(String[] args) {
        System.exit(new CommandLine(new OperatorMain()).execute(args));
    }

    /** The configuration the flags describe; bad values fail with the flag or file field named. */
    OperatorConfig config() {
        if (trustConfigMap == null || trustConfigMap.isBlank()) {
            throw new IllegalArgumentException("--trust-configmap NAMESPACE/NAME (or SIGIL_TRUST_CONFIGMAP) is required");
        }
        ObjectRef trust;
        try {
            trust = ObjectRef.parse(trustConfigMap);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--trust-configmap: " + e.getMessage(), e);
        }
        return OperatorConfig.resolve(namespace, trust, Optional.ofNullable(configFile), leaderElection);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        OperatorConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("sigil-operator: " + e.getMessage());
            return 2;
        }
        KubernetesClient client = ApiServerTrust.connect(Config.autoConfigure(null), new KubernetesSerialization());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Optional<OwnerReference> owner =
                OperatorOwner.resolve(client, config.namespace(), Optional.ofNullable(System.getenv("POD_NAME")));
        SigilOperator operator = SigilOperator.create(client, config, owner, registry, Clock.systemUTC());
        List<HttpEndpoints> endpoints = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutting down: finishing running reconciles");
            Thread closing = Thread.ofPlatform().name("sigil-operator-close").start(() -> {
                operator.close();
                endpoints.forEach(HttpEndpoints::close);
                client.close();
            });
            try {
                if (!closing.join(SHUTDOWN_DEADLINE)) {
                    LOG.warn("Shutdown did not finish within {}; exiting anyway", SHUTDOWN_DEADLINE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "sigil-operator-shutdown"));

        for (Map.Entry<Integer, Map<String, Supplier<Response>>> server
                : OperatorEndpoints.routes(operator, registry, healthPort, metricsPort).entrySet()) {
            endpoints.add(HttpEndpoints.serve(new InetSocketAddress(server.getKey()), server.getValue()));
        }
        LOG.info("Starting: namespace={} trust={} leaderElection={} health=:{} metrics=:{}", config.namespace(),
                config.trustConfigMap(), config.leaderElection(), healthPort, metricsPort);
        operator.start();
        stopped.await();
        return 0;
    }

    /** The build's version, as every Sigil artifact reports it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sigil-operator " + SigilVersion.current()};
        }
    }
}
