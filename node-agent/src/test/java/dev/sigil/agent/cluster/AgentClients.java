package dev.sigil.agent.cluster;

import dev.sigil.crds.testing.MockApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The agent's own client ({@link AgentClient}) on the mock's fail-fast configuration, as the tests' agents use it. */
final class AgentClients {
    private AgentClients() {
    }

    static AgentClient failFast(MockApiServer api) {
        try (KubernetesClient failFast = api.newFailFastClient()) {
            return AgentClient.connect(failFast.getConfiguration());
        }
    }
}
