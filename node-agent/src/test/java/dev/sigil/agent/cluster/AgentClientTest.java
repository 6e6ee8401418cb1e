package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

class AgentClientTest {
    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"shop"}}""";

    @Test
    void theAgentsClientKnowsNoKindItWasNotToldOfWhileFabric8sDefaultSearchesTheClassPath() {
        var config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build();
        try (AgentClient agent = AgentClient.connect(config);
                KubernetesClient standard = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThat(agent.kubernetes().getKubernetesSerialization().getRegisteredKubernetesResource("v1", "Pod")).isNull();
            assertThat(standard.getKubernetesSerialization().getRegisteredKubernetesResource("v1", "Pod")).isEqualTo(Pod.class);
        }
    }

    @Test
    void watchesOverHttpWithItsOwnTestOfALiveWatch() {
        try (AgentClient agent = AgentClient.connect(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build())) {
            assertThat(agent.kubernetes().getConfiguration().isOnlyHttpWatches()).isTrue();
            assertThat(agent.watches().isOpen("nodes")).isFalse();
        }
    }

    @Test
    void typedReadsNeedNoSearch() {
        try (AgentClient agent = AgentClient.connect(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build())) {
            Pod pod = agent.kubernetes().getKubernetesSerialization().unmarshal(POD, Pod.class);
            assertThat(pod.getMetadata().getName()).isEqualTo("web");
            SignedBpfProgram program = agent.kubernetes().getKubernetesSerialization().unmarshal("""
                    {"apiVersion":"sigil.dev/v1alpha1","kind":"SignedBpfProgram","metadata":{"name":"counter"}}""",
                    SignedBpfProgram.class);
            assertThat(program.getMetadata().getName()).isEqualTo("counter");
        }
    }

    @Test
    void everyClientAndTheStatusPatchesShareOneMapper() {
        var config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build();
        try (AgentClient one = AgentClient.connect(config); AgentClient another = AgentClient.connect(config)) {
            assertThat(one.kubernetes().getKubernetesSerialization()).isSameAs(another.kubernetes().getKubernetesSerialization())
                    .isSameAs(AgentClient.serialization());
        }
    }
}
