package dev.sigil.cli.agent;

import dev.sigil.agent.cluster.ClusterAgent;
import dev.sigil.agent.cluster.ClusterAgentConfig;
import dev.sigil.agent.cluster.HealthServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
            description = "Port of /healthz and /readyz (default: ${DEFAULT-VALUE}).")
    int healthPort;

    @Override
    public Integer call() throws Exception {
        if (node == null || node.isBlank()) {
            throw new ParameterException(spec.commandLine(), "no node name: pass --node or set NODE_NAME");
        }
        trust.load(); // a bad bundle is a usage error at start, not a host that never comes up
        ClusterAgentConfig config = ClusterAgentConfig.defaults(node, trust.path);
        CountDownLatch stopped = new CountDownLatch(1);
        // Few request retries: a reconcile pass must not sit out a long outage inside one status write.
        Config clientConfig = new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(1).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build()) {
            ClusterAgent agent = new ClusterAgent(client, config, () -> host.open(trust.load(), config.tickInterval(), mount));
            HealthServer health = HealthServer.start(healthPort, agent::isLive, agent::isReady);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("sigil-agent-stop").unstarted(() -> {
                agent.close();
                health.close();
                stopped.countDown();
            }));
            agent.start();
            stopped.await();
        }
        return 0;
    }
}
