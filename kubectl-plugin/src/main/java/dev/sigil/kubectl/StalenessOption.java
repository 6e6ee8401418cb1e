package dev.sigil.kubectl;

import dev.sigil.crds.bpfnodestate.NodeStaleness;
import java.time.Duration;
import picocli.CommandLine.Option;

/** When a node's report counts as stale: the shared rule, with the operator's configurable multiple. */
final class StalenessOption {
    @Option(names = "--missed-heartbeats", paramLabel = "N", defaultValue = "" + NodeStaleness.DEFAULT_MISSED_HEARTBEATS,
            description = "A node is stale when its agent has not reported for N heartbeats of "
                    + "1 minute (default ${DEFAULT-VALUE}; use the operator's setting).")
    int missedHeartbeats;

    Duration threshold() {
        if (missedHeartbeats < 1) {
            throw new PluginException(KubectlSigil.USAGE, "--missed-heartbeats must be at least 1, got " + missedHeartbeats);
        }
        return NodeStaleness.AGENT_HEARTBEAT.multipliedBy(missedHeartbeats);
    }
}
