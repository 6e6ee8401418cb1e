package dev.sigil.agent.cluster;

import dev.sigil.agent.pods.KubeletCgroups;
import dev.sigil.crds.bpfnodestate.NodeStaleness;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * @param nodeName        the Node this agent runs on
 * @param trustPath       the trust bundle (file or directory) the host verifies against; watched for changes
 * @param tickInterval    how often drift is repaired, the node's interfaces looked at (resources with an interface
 *                        pattern or the primary interface are applied again when they changed), the trust bundle
 *                        checked and unwritten status retried;
 *                        the first wait before a failed apply or unload is retried
 * @param retryInterval   the informers' resync (every program applied again), the heartbeat write of the status
 *                        (half of it bounds one status write),
 *                        and the longest wait before a retry
 * @param shutdownTimeout how long shutdown waits for the API server to say whether the node is still targeted;
 *                        the whole shutdown takes at most twice that
 * @param clock           for status timestamps
 * @param podCgroups      where the kubelet puts pod cgroups on this node, for pod targets
 */
public record ClusterAgentConfig(String nodeName, Path trustPath, Duration tickInterval, Duration retryInterval,
        Duration shutdownTimeout, Clock clock, KubeletCgroups podCgroups) {
    /** The kubelet's default: the cgroup v2 mount, the driver told from the tree. */
    public static final Path DEFAULT_CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    public ClusterAgentConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(trustPath, "trustPath");
        Objects.requireNonNull(podCgroups, "podCgroups");
        if (nodeName.isBlank()) {
            throw new IllegalArgumentException("node name is empty: pass --node or set NODE_NAME");
        }
        if (tickInterval.isNegative() || tickInterval.isZero() || retryInterval.compareTo(tickInterval) < 0) {
            throw new IllegalArgumentException("need 0 < tickInterval <= retryInterval, got " + tickInterval + " and " + retryInterval);
        }
    }

    /** Pod cgroups where the kubelet puts them by default. */
    public ClusterAgentConfig(String nodeName, Path trustPath, Duration tickInterval, Duration retryInterval,
            Duration shutdownTimeout, Clock clock) {
        this(nodeName, trustPath, tickInterval, retryInterval, shutdownTimeout, clock,
                new KubeletCgroups(DEFAULT_CGROUP_ROOT, Optional.empty()));
    }

    public static ClusterAgentConfig defaults(String nodeName, Path trustPath, KubeletCgroups podCgroups) {
        // SIGTERM must end the agent within 10 s: the shutdown takes at most 2 x 3 s.
        return new ClusterAgentConfig(nodeName, trustPath, Duration.ofSeconds(5), NodeStaleness.AGENT_HEARTBEAT,
                Duration.ofSeconds(3), Clock.systemUTC(), podCgroups);
    }
}
