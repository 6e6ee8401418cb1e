package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.operator.ObjectRef;
import dev.sigil.operator.OperatorConfig;
import dev.sigil.operator.SigilOperator;
import dev.sigil.operator.agent.AgentConfig;
import dev.sigil.operator.nodes.AgentLabelPatch;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's real writes, made against the strict mock API server, judged by the chart's admission
 * policies: each write is the pair of whole objects (before, after) an API server would hand the policy. The
 * agent-label patch runs on a node whose labels, taints and annotations someone else owns; a whole program
 * lifecycle (finalizer, status, node label, deletion) runs through the operator and JOSDK as deployed.
 */
class OperatorWritesAdmissionTest {
    private static final String OPERATOR = "system:serviceaccount:sigil-system:sigil-operator";
    private static final String NAMESPACE = RenderedChart.NAMESPACE;
    private static final String AGENT_LABEL = "sigil.dev/agent";
    private static final String FINALIZER = "sigil.dev/node-unload";
    private static final String GITOPS_FINALIZER = "resources-finalizer.argocd.argoproj.io";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Path EXAMPLE = RenderedChart.repositoryRoot().resolve("examples/gitops");
    private static final RenderedChart CHART = RenderedChart.withDefaults();
    private static final AdmissionPolicy NODE_POLICY = new AdmissionPolicy(
            CHART.get("ValidatingAdmissionPolicy", "sigil-operator-node-agent-label"));
    private static final AdmissionPolicy PROGRAM_POLICY = new AdmissionPolicy(
            CHART.get("ValidatingAdmissionPolicy", "sigil-operator-program-finalizer"));

    private MockApiServer api;
    private KubernetesClient client;

    @BeforeEach
    void startApiServer() {
        api = MockApiServer.start();
        client = api.client();
        api.createNamespace(NAMESPACE);
    }

    @AfterEach
    void stopApiServer() {
        api.close();
    }

    @Test
    void theAgentLabelPatchChangesOnlyTheAgentLabelOfANodeOthersManage() {
        createWorker("worker-1");

        Map<String, Object> unlabelled = node("worker-1");
        AgentLabelPatch.add(client, "worker-1");
        Map<String, Object> labelled = node("worker-1");
        AgentLabelPatch.remove(client, "worker-1");
        Map<String, Object> unlabelledAgain = node("worker-1");

        assertThat(labels(labelled)).containsEntry(AGENT_LABEL, "true").containsEntry("team", "payments");
        assertThat(labels(unlabelledAgain)).doesNotContainKey(AGENT_LABEL).containsEntry("team", "payments");
        assertAdmittedNodeWrite(unlabelled, labelled);
        assertAdmittedNodeWrite(labelled, unlabelledAgain);
    }

    @Test
    void aWholeNodeWrittenBackFromAStaleCopyIsRefused() {
        createWorker("worker-1");
        Node cached = client.nodes().withName("worker-1").get();
        client.nodes().withName("worker-1").edit(n -> new NodeBuilder(n).editMetadata()
                .addToLabels("team", "checkout").endMetadata().build());
        Map<String, Object> retagged = node("worker-1");

        // What the operator did before AgentLabelPatch: its cached node, labelled, patched back whole.
        cached.getMetadata().getLabels().put(AGENT_LABEL, "true");
        cached.getMetadata().setResourceVersion(null);
        client.nodes().withName("worker-1").patch(PatchContext.of(PatchType.JSON_MERGE), SERIALIZATION.asJson(cached));
        Map<String, Object> after = node("worker-1");

        assertThat(labels(after)).as("the team label someone else changed is reverted").containsEntry("team", "payments");
        assertThat(NODE_POLICY.admit(nodeWrite(), after, retagged).denials())
                .containsExactly("the Sigil operator may change only the label sigil.dev/agent of a Node, not its "
                        + "labels other than sigil.dev/agent");
    }

    @Test
    void everyWriteOfTheOperatorInAProgramLifecyclePassesTheChartsPolicies(@TempDir Path dir) throws IOException {
        client.resource(trustConfigMap(dir)).create();
        createWorker("worker-1");
        List<Map<String, Object>> nodeVersions = Collections.synchronizedList(new ArrayList<>());
        List<Map<String, Object>> programVersions = Collections.synchronizedList(new ArrayList<>());
        SigilOperator operator = SigilOperator.create(client, new OperatorConfig(NAMESPACE,
                        new ObjectRef(NAMESPACE, "sigil-trust"), AgentConfig.defaults("registry.example/sigil:test", "sigil-trust"),
                        Duration.ofMinutes(1), false),
                Optional.empty(), new SimpleMeterRegistry(), Clock.systemUTC());
        List<Map<String, Object>> operatorProgramVersions;
        try (Watch nodes = client.nodes().withName("worker-1").watch(recorder(nodeVersions));
                Watch programs = programs().withName("counter").watch(recorder(programVersions))) {
            operator.start();
            SignedBpfProgram program = SERIALIZATION.unmarshal(Files.readString(EXAMPLE.resolve("programs/counter.yaml")),
                    SignedBpfProgram.class);
            // Another controller's finalizer, as Argo CD's: the operator's own removal must leave it, and the
            // object stays to show what that removal wrote.
            program.getMetadata().setFinalizers(List.of(GITOPS_FINALIZER));
            programs().resource(program).create();
            await(() -> "true".equals(labels(node("worker-1")).get(AGENT_LABEL))
                    && statusCondition(programs().withName("counter").get(), "Verified").equals("True"));
            programs().withName("counter").delete();
            await(() -> !programVersions.isEmpty()
                    && finalizers(programVersions.getLast()).equals(List.of(GITOPS_FINALIZER))
                    && metadata(programVersions.getLast()).containsKey("deletionTimestamp"));
            operatorProgramVersions = List.copyOf(programVersions);
            programs().withName("counter").edit(p -> {
                p.getMetadata().setFinalizers(List.of());
                return p;
            });
            await(() -> programs().withName("counter").get() == null && !nodeVersions.isEmpty()
                    && !labels(nodeVersions.getLast()).containsKey(AGENT_LABEL));
        } finally {
            operator.close();
        }

        List<Write> nodeWrites = writes(List.copyOf(nodeVersions), "nodes");
        List<Write> programWrites = writes(operatorProgramVersions, "signedbpfprograms").stream()
                .filter(write -> !write.deletionRequested())
                .toList();
        assertThat(nodeWrites).extracting(Write::change).contains("label added", "label removed");
        assertThat(programWrites).extracting(Write::change).contains("finalizer added", "status", "finalizer removed");
        for (Write write : nodeWrites) {
            assertThat(NODE_POLICY.admit(write.request(), write.after(), write.before()))
                    .as(write.change()).isEqualTo(new AdmissionPolicy.Decision(true, List.of()));
        }
        for (Write write : programWrites) {
            assertThat(PROGRAM_POLICY.admit(write.request(), write.after(), write.before()))
                    .as(write.change()).isEqualTo(new AdmissionPolicy.Decision(true, List.of()));
        }
    }

    /**
     * One UPDATE between two versions of an object, as the policy sees it. Through the status subresource when
     * the status changed: a write to the main resource of a kind with that subresource cannot change it.
     */
    private record Write(String resource, Map<String, Object> before, Map<String, Object> after) {
        AdmissionPolicy.Request request() {
            AdmissionPolicy.Request request = AdmissionPolicy.Request.by(OPERATOR, "UPDATE",
                    resource.equals("nodes") ? "" : "sigil.dev", resource);
            boolean statusChanged = !Objects.equals(before.get("status"), after.get("status"));
            return statusChanged && !resource.equals("nodes") ? request.onSubresource("status") : request;
        }

        boolean deletionRequested() {
            return !metadata(before).containsKey("deletionTimestamp") && metadata(after).containsKey("deletionTimestamp");
        }

        String change() {
            if (!Objects.equals(before.get("status"), after.get("status"))) {
                return "status";
            }
            boolean labelled = labels(after).containsKey(AGENT_LABEL);
            if (labels(before).containsKey(AGENT_LABEL) != labelled) {
                return labelled ? "label added" : "label removed";
            }
            boolean finalized = finalizers(after).contains(FINALIZER);
            if (finalizers(before).contains(FINALIZER) != finalized) {
                return finalized ? "finalizer added" : "finalizer removed";
            }
            return "other";
        }
    }

    private static List<Write> writes(List<Map<String, Object>> versions, String resource) {
        List<Write> writes = new ArrayList<>();
        for (int i = 1; i < versions.size(); i++) {
            writes.add(new Write(resource, versions.get(i - 1), versions.get(i)));
        }
        return writes;
    }

    private static <T extends HasMetadata> Watcher<T> recorder(List<Map<String, Object>> versions) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    versions.add(asMap(resource));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    private ConfigMap trustConfigMap(Path dir) throws IOException {
        Path values = Files.writeString(dir.resolve("values.yaml"), "trust:\n  anchors:\n    demo.pem: |\n"
                + Files.readString(EXAMPLE.resolve("trust/demo-signer.pem")).indent(6));
        return RenderedChart.render(List.of(values), Map.of()).get(ConfigMap.class, "sigil-trust");
    }

    private void createWorker(String name) {
        client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name)
                .withLabels(Map.of("kubernetes.io/os", "linux", "kubernetes.io/hostname", name, "team", "payments"))
                .withAnnotations(Map.of("node.alpha.kubernetes.io/ttl", "0"))
                .endMetadata()
                .withNewSpec().withPodCIDR("10.244.1.0/24")
                .addNewTaint().withKey("dedicated").withValue("ebpf").withEffect("NoSchedule").endTaint()
                .endSpec()
                .build()).create();
    }

    private void assertAdmittedNodeWrite(Map<String, Object> before, Map<String, Object> after) {
        assertThat(NODE_POLICY.admit(nodeWrite(), after, before)).isEqualTo(new AdmissionPolicy.Decision(true, List.of()));
    }

    private static AdmissionPolicy.Request nodeWrite() {
        return AdmissionPolicy.Request.by(OPERATOR, "UPDATE", "", "nodes");
    }

    private Map<String, Object> node(String name) {
        return asMap(client.nodes().withName(name).get());
    }

    private MixedOperation<SignedBpfProgram, ?, Resource<SignedBpfProgram>> programs() {
        return client.resources(SignedBpfProgram.class);
    }

    private static String statusCondition(SignedBpfProgram program, String type) {
        if (program == null || program.getStatus() == null) {
            return "";
        }
        return program.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                .map(c -> c.getStatus()).findFirst().orElse("");
    }

    private static void await(Callable<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(condition);
    }

    private static Map<String, Object> asMap(Object resource) {
        return cast(SERIALIZATION.convertValue(resource, Map.class));
    }

    private static Map<String, Object> metadata(Map<String, Object> object) {
        return cast(object.getOrDefault("metadata", Map.of()));
    }

    private static Map<String, Object> labels(Map<String, Object> object) {
        return cast(metadata(object).getOrDefault("labels", Map.of()));
    }

    private static List<Object> finalizers(Map<String, Object> object) {
        return cast(metadata(object).getOrDefault("finalizers", List.of()));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
