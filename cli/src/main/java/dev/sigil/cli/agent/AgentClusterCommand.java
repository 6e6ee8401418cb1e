package dev.sigil.cli.agent;

import dev.sigil.agent.cluster.AgentClient;
import dev.sigil.agent.cluster.ClusterAgent;
import dev.sigil.agent.cluster.ClusterAgentConfig;
import dev.sigil.agent.cluster.HealthServer;
import dev.sigil.agent.metrics.AgentMetrics;
import dev.sigil.agent.pods.CgroupDriver;
import dev.sigil.agent.pods.KubeletCgroups;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {
            "Runs as a cluster's node agent (the sigil-agent DaemonSet's entrypoint): loads the SignedBpfPrograms whose "
                    + "nodeSelector matches this node, verifying each itself, and reports them in the node's BpfNodeState.",
            "Uses the in-cluster service account, else the current kubeconfig. Re-reads the trust bundle when it changes. "
                    + "Stops on SIGTERM, leaving programs pinned unless the node is no longer targeted."
        })
final class AgentClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Mixin
    TrustOption trust;

    @Mixin
    MountOption mount;

    @Option(names = "--node", paramLabel = "NAME", defaultValue = "${env:NODE_NAME}",
            description = "This node's name (default: $NODE_NAME, set from the downward API).")
    String node;

    @Option(names = "--health-port", paramLabel = "PORT", defaultValue = "8082",
            description = "Port of /healthz, /readyz and /metrics (Prometheus) (default: ${DEFAULT-VALUE}).")
    int healthPort;

    @Option(names = "--cgroup-root", paramLabel = "DIR", defaultValue = "/sys/fs/cgroup",
            description = "The cgroup v2 mount the kubelet's pod cgroups are under, for pod targets (default: ${DEFAULT-VALUE}).")
    Path cgroupRoot;

    @Option(names = "--cgroup-driver", paramLabel = "DRIVER", defaultValue = "auto",
            description = "The kubelet's cgroup driver: systemd, cgroupfs, or auto (told from kubepods.slice or kubepods "
                    + "under --cgroup-root) (default: ${DEFAULT-VALUE}).")
    String cgroupDriver;

    @Override
    public Integer call() throws Exception {
        if (node == null || node.isBlank()) {
            throw new ParameterException(spec.commandLine(), "no node name: pass --node or set NODE_NAME");
        }
        trust.load(); // a bad bundle is a usage error at start, not a host that never comes up
        ClusterAgentConfig config = ClusterAgentConfig.defaults(node, trust.path, new KubeletCgroups(cgroupRoot, driver()));
        CountDownLatch stopped = new CountDownLatch(1);
        // Few request retries: a reconcile pass must not sit out a long outage inside one status write.
        Config clientConfig = new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(1).build();
        try (AgentClient client = AgentClient.connect(clientConfig);
                AgentMetrics metrics = AgentMetrics.onThisKernel()) {
            ClusterAgent agent = new ClusterAgent(client, config,
                    () -> metrics.observe(host.open(trust.load(), config.tickInterval(), mount, metrics.stepTimer())),
                    metrics);
            HealthServer health = HealthServer.start(healthPort, agent::isLive, agent::isReady, metrics);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("sigil-agent-stop").unstarted(() -> {
                agent.close();
                health.close();
                // The JVM may halt before main's try block closes it: the run statistics go off here.
                metrics.close();
                stopped.countDown();
            }));
            agent.start();
            stopped.await();
        }
        return 0;
    }

    private Optional<CgroupDriver> driver() {
        return switch (cgroupDriver.toLowerCase(Locale.ROOT)) {
            case "auto" -> Optional.empty();
            case "systemd" -> Optional.of(CgroupDriver.Systemd);
            case "cgroupfs" -> Optional.of(CgroupDriver.Cgroupfs);
            default -> throw new ParameterException(spec.commandLine(), "--cgroup-driver '" + cgroupDriver
                    + "' is none of systemd, cgroupfs, auto");
        };
    }
}
