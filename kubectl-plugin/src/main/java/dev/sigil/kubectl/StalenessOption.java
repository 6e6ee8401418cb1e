package dev.sigil.kubectl;

import dev.sigil.crds.bpfnodestate.NodeStaleness;
import picocli.CommandLine.Option;

/** When a node's report counts as stale: the shared rule, with the operator's configurable multiple. */
final class StalenessOption {
    @Option(names = "--stale-after-heartbeats", paramLabel = "N", defaultValue = "" + NodeStaleness.DEFAULT_HEARTBEATS,
            description = "A node is stale when its agent has not reported for N of its heartbeat intervals "
                    + "(default ${DEFAULT-VALUE}; use the operator's staleAfterHeartbeats).")
    int heartbeats;

    NodeStaleness rule() {
        try {
            return new NodeStaleness(heartbeats);
        } catch (IllegalArgumentException e) {
            throw new PluginException(KubectlSigil.USAGE, "--stale-after-heartbeats: " + e.getMessage(), e);
        }
    }
}
