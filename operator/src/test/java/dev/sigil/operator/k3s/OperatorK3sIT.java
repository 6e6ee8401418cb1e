package dev.sigil.operator.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.crds.SigilApi;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.schema.GeneratedCrds;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.operator.NodeAgentFake;
import dev.sigil.operator.ObjectRef;
import dev.sigil.operator.OperatorConfig;
import dev.sigil.operator.SigilOperator;
import dev.sigil.operator.TestPrograms;
import dev.sigil.operator.agent.AgentConfig;
import dev.sigil.operator.signedbpfprogram.ConditionType;
import dev.sigil.operator.signedbpfprogram.ProgramConditions;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The operator against a real API server (k3s): CRDs with schema validation, the status subresource,
 * leader election through a Lease, and the printer columns as the server's own Table response. Runs
 * where Docker is available; elsewhere it is skipped with the reason printed.
 */
@ExtendWith(RequiresDocker.class)
@Testcontainers(disabledWithoutDocker = true)
class OperatorK3sIT {
    private static final String NAMESPACE = "sigil-system";
    private static final String TRUST = "sigil-trust";
    private static final SigningKey RELEASE = TestPrograms.newSigner("release");

    @Container
    private static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

    private static KubernetesClient client;
    private static SigilOperator operator;

    @BeforeAll
    static void installAndStart() throws Exception {
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build();
        for (CustomResourceDefinition definition : GeneratedCrds.all()) {
            client.resource(definition).create();
            client.apiextensions().v1().customResourceDefinitions().withName(definition.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                            1, java.util.concurrent.TimeUnit.MINUTES);
        }
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        client.resource(new ConfigMapBuilder()
                .withNewMetadata().withName(TRUST).withNamespace(NAMESPACE).endMetadata()
                .addToData("release.pem", TestPrograms.pem(RELEASE.certificate()))
                .build()).create();
        OperatorConfig config = new OperatorConfig(NAMESPACE, new ObjectRef(NAMESPACE, TRUST),
                AgentConfig.defaults("registry.example/sigil:test", TRUST), Duration.ofMinutes(1), true);
        operator = SigilOperator.create(client, config, Optional.empty(), new SimpleMeterRegistry(), Clock.systemUTC());
        operator.start();
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void reconcilesThroughTheStatusSubresourceAndShowsThePrinterColumns() throws Exception {
        Node node = client.nodes().list().getItems().getFirst();
        String nodeName = node.getMetadata().getName();
        SignedBundle signed = TestPrograms.sign(RELEASE);
        client.resource(TestPrograms.program("counter", signed, Map.of("kubernetes.io/hostname", nodeName))).create();

        await().untilAsserted(() -> assertThat(status("counter"))
                .satisfies(status -> {
                    assertThat(ProgramConditions.holds(status, ConditionType.Verified)).isTrue();
                    assertThat(status.getTargetedNodes()).isEqualTo(1);
                }));
        await().untilAsserted(() -> assertThat(client.nodes().withName(nodeName).get().getMetadata().getLabels())
                .containsEntry(SigilApi.AGENT_NODE_LABEL, "true"));
        assertThat(client.leases().inNamespace(NAMESPACE).withName(OperatorConfig.LEASE_NAME).get().getSpec()
                .getHolderIdentity()).isNotBlank();

        new NodeAgentFake(client, nodeName).report(NodeAgentFake.entry("counter", 1, ProgramPhase.Attached));
        await().untilAsserted(() -> assertThat(status("counter").getAttachedNodes()).isEqualTo(1));

        Map<String, String> row = tableRow("counter");
        System.out.println("$ kubectl get sbpf (server-side Table): " + row);
        assertThat(row).containsEntry("Name", "counter")
                .containsEntry("Verified", "True")
                .containsEntry("Ready", "True")
                .containsEntry("Targeted", "1")
                .containsEntry("Attached", "1")
                .containsEntry("Failed", "0");
    }

    @Test
    void statusWrittenThroughTheMainResourceIsIgnored() {
        SignedBundle signed = TestPrograms.sign(RELEASE);
        client.resource(TestPrograms.program("counter-spoofed", signed, Map.of("sigil.test/none", "x"))).create();
        await().untilAsserted(() -> assertThat(status("counter-spoofed")).isNotNull());

        SignedBpfProgram spoofed = client.resources(SignedBpfProgram.class).withName("counter-spoofed").get();
        spoofed.getStatus().setAttachedNodes(99);
        client.resource(spoofed).update();

        assertThat(status("counter-spoofed").getAttachedNodes()).isZero();
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250));
    }

    private static SignedBpfProgramStatus status(String name) {
        return client.resources(SignedBpfProgram.class).withName(name).get().getStatus();
    }

    /** What kubectl get prints: the API server's Table rendering of the CRD's printer columns. */
    private static Map<String, String> tableRow(String name) throws Exception {
        URI uri = URI.create(client.getMasterUrl() + "apis/" + SigilApi.API_VERSION + "/signedbpfprograms/" + name);
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(uri)
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build();
        HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class).get();
        assertThat(response.code()).isEqualTo(200);
        JsonNode table = client.getKubernetesSerialization().unmarshal(response.body(), JsonNode.class);
        List<String> columns = new ArrayList<>();
        table.get("columnDefinitions").forEach(column -> columns.add(column.get("name").asText()));
        JsonNode cells = table.get("rows").get(0).get("cells");
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            row.put(columns.get(i), cells.get(i).asText());
        }
        return row;
    }
}
