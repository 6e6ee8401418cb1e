package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.pods.NodePod;
import dev.sigil.agent.pods.QosClass;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's view on the strict mock. Its watches are live while the API server answers them, quiet or not, and
 * down once it is gone. Pods: none until asked for, then only its own node's pods (by the field
 * selector), each start, stop and label change told once, a change that targeting does not read not told (the
 * cached "before" is the trimmed copy), and namespaces' labels once asked for.
 */
class ClusterViewIT {
    private static final String NODE = "node-a";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private MockApiServer api;
    private AgentClient agentClient;
    private ClusterView view;
    private final AtomicInteger podChanges = new AtomicInteger();

    @BeforeEach
    void start() {
        api = MockApiServer.start();
        api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .withLabels(Map.of("team", "pay")).endMetadata().build()).create();
        agentClient = AgentClients.failFast(api);
        view = new ClusterView(agentClient, NODE, Duration.ofMinutes(10), new ClusterView.Listener() {
            @Override
            public void programChanged(String name, boolean resync) {
            }

            @Override
            public void nodeChanged() {
            }

            @Override
            public void nodeStateChanged(BpfNodeState state) {
            }

            @Override
            public void podsChanged() {
                podChanges.incrementAndGet();
            }
        });
        view.start();
    }

    @AfterEach
    void stop() {
        try {
            if (view != null) {
                view.stop();
            }
        } finally {
            try {
                if (agentClient != null) {
                    agentClient.close();
                }
            } finally {
                api.close();
            }
        }
    }

    static Pod pod(String name, String node, Map<String, String> labels, String qos) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withUid(UUID.randomUUID().toString())
                .withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("app").withImage("app:1").endContainer().endSpec()
                .withNewStatus().withQosClass(qos).withPhase("Running").endStatus()
                .build();
    }

    @Test
    void quietWatchesAreLiveOnceAnsweredAndDownOnceTheServerIsGone() {
        // No program, and neither the node's Node nor its BpfNodeState exists: every watch is answered, then silent.
        await().atMost(WAIT).until(view::watching);
        assertThat(api.openWatches()).isEqualTo(3);
        api.stop();
        await().atMost(WAIT).until(() -> !view.watching());
    }

    @Test
    void readsPodsOnlyOnceAskedThenOnlyItsOwnNodesAndIsToldWhatTargetingReads() {
        Pod web = api.client().pods().resource(pod("web", NODE, Map.of("app", "web"), "Burstable")).create();
        api.client().pods().resource(pod("elsewhere", "node-b", Map.of("app", "web"), "Burstable")).create();
        await().atMost(WAIT).until(view::watching);
        assertThat(view.pods()).as("no pod is read before a pod target asks").isEmpty();
        assertThat(podChanges).hasValue(0);

        assertThat(view.watchPods()).isTrue();
        assertThat(view.watchPods()).as("started once").isFalse();
        await().atMost(WAIT).until(() -> view.pods().size() == 1 && podChanges.get() >= 1);
        NodePod seen = view.pods().getFirst();
        assertThat(seen.key()).isEqualTo("shop/web");
        assertThat(seen.uid()).isEqualTo(web.getMetadata().getUid());
        assertThat(seen.qos()).contains(QosClass.Burstable);
        assertThat(seen.labels()).containsEntry("app", "web");

        int before = podChanges.get();
        api.client().pods().inNamespace("shop").withName("web").edit(pod -> new PodBuilder(pod).editMetadata()
                .addToLabels("tier", "a").endMetadata().build());
        await().atMost(WAIT).until(() -> podChanges.get() > before
                && view.pods().getFirst().labels().containsKey("tier"));

        int afterLabels = podChanges.get();
        api.client().pods().inNamespace("shop").withName("web").edit(pod -> new PodBuilder(pod).editMetadata()
                .addToAnnotations("note", "not read").endMetadata().build());
        api.client().pods().inNamespace("shop").withName("web").delete();
        await().atMost(WAIT).until(() -> view.pods().isEmpty());
        assertThat(podChanges.get()).as("the annotation is not news, the deletion is").isEqualTo(afterLabels + 1);
    }

    @Test
    void readsNamespaceLabelsOnlyOnceAsked() {
        assertThat(view.namespaceLabels()).isEmpty();
        assertThat(view.watchNamespaces()).isTrue();
        assertThat(view.watchNamespaces()).isFalse();
        await().atMost(WAIT).until(() -> view.watching() && view.namespaceLabels().containsKey("shop"));
        assertThat(view.namespaceLabels().get("shop")).containsEntry("team", "pay");

        int before = podChanges.get();
        api.client().namespaces().withName("shop").edit(namespace -> new NamespaceBuilder(namespace).editMetadata()
                .addToLabels("env", "prod").endMetadata().build());
        await().atMost(WAIT).until(() -> podChanges.get() > before && view.namespaceLabels().get("shop").containsKey("env"));
    }
}
