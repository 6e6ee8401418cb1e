package dev.sigil.operator.signedbpfprogram;

import static dev.sigil.operator.NodeAgentFake.entry;
import static dev.sigil.operator.NodeAgentFake.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.SigilApi;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.schema.GeneratedCrds;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.operator.NodeAgentFake;
import dev.sigil.operator.OperatorConfig;
import dev.sigil.operator.OperatorEndpoints;
import dev.sigil.operator.PrinterColumns;
import dev.sigil.operator.SigilOperator;
import dev.sigil.operator.TestClock;
import dev.sigil.operator.TestPrograms;
import dev.sigil.operator.agent.AgentConfig;
import dev.sigil.operator.agent.AgentDaemonSet;
import dev.sigil.operator.conditions.ConditionType;
import dev.sigil.operator.conditions.ProgramConditions;
import dev.sigil.operator.events.EventReason;
import dev.sigil.operator.events.EventRecorder;
import dev.sigil.operator.http.HttpEndpoints;
import dev.sigil.operator.trust.ObjectRef;
import dev.sigil.signing.Certificates;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator against the Fabric8 mock API server: verification, node targeting, the agent
 * DaemonSet, status aggregation from node reports, revocation, generations, deletion and node GC.
 * One operator serves every test; each test uses its own nodes, told apart by a label.
 */
class SignedBpfProgramReconcilerIT {
    private static final String NAMESPACE = "sigil-system";
    private static final String TRUST = "sigil-trust";
    private static final String CASE_LABEL = "sigil.test/case";
    private static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

    private static final SigningKey RELEASE = TestPrograms.newSigner("release");
    private static final SigningKey REVOCABLE = TestPrograms.newSigner("revocable");
    private static final SignedBundle SIGNED = TestPrograms.sign(RELEASE);

    private static MockApiServer api;
    private static KubernetesClient client;
    private static TestClock clock;
    private static PrometheusMeterRegistry registry;
    private static SigilOperator operator;

    @BeforeAll
    static void startOperator() {
        api = MockApiServer.start();
        client = api.client();
        api.createNamespace(NAMESPACE);
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(TRUST).withNamespace(NAMESPACE).endMetadata()
                .addToData("release.pem", SignedFixtures.pem(RELEASE.certificate()))
                .addToData("revocable.pem", SignedFixtures.pem(REVOCABLE.certificate()))
                .build()).create();
        clock = new TestClock();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Tests move the clock past the deletion timeout; no node goes stale for it (StaleNodesIT covers staleness).
        OperatorConfig config = new OperatorConfig(NAMESPACE, new ObjectRef(NAMESPACE, TRUST),
                AgentConfig.defaults("registry.example/sigil:test", TRUST), DELETION_TIMEOUT, false,
                new NodeStaleness(NodeStaleness.MAX_HEARTBEATS));
        operator = SigilOperator.create(client, config, Optional.empty(), registry, clock);
        operator.start();
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
        api.close();
    }

    @Test
    void verifiedProgramLabelsItsNodeRunsTheAgentAndCountsTheAttachedNode() {
        String node = linuxNode("happy-a", "happy");
        linuxNode("happy-other", "elsewhere");
        create(TestPrograms.program("counter-happy", SIGNED, Map.of(CASE_LABEL, "happy")));

        awaitStatus("counter-happy", status -> {
            assertThat(condition(status, ConditionType.Verified).getStatus()).isEqualTo("True");
            assertThat(condition(status, ConditionType.Verified).getReason()).isEqualTo("SignatureVerified");
            assertThat(status.getSigner().getSubject()).contains("CN=release");
            assertThat(status.getLoaderHash()).isEqualTo(SIGNED.loaderHash());
            assertThat(status.getTargetedNodes()).isEqualTo(1);
            assertThat(status.getAttachedNodes()).isZero();
            assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("RollingOut");
        });
        awaitLabel(node, true);
        assertThat(agentLabel("happy-other")).isNull();

        DaemonSet agents = await().until(() -> client.apps().daemonSets().inNamespace(NAMESPACE)
                .withName(AgentDaemonSet.NAME).get(), daemonSet -> daemonSet != null);
        assertThat(agents.getSpec().getTemplate().getSpec().getNodeSelector())
                .containsEntry(SigilApi.AGENT_NODE_LABEL, "true");
        assertThat(agents.getSpec().getTemplate().getSpec().getContainers().getFirst().getVolumeMounts())
                .extracting(VolumeMount::getMountPath, VolumeMount::getMountPropagation, VolumeMount::getReadOnly)
                .contains(
                        tuple("/sys/fs/bpf", "Bidirectional", null),
                        tuple("/sys/kernel/btf", null, true),
                        tuple("/sys/fs/cgroup", null, true),
                        tuple("/etc/sigil/trust", null, true));

        new NodeAgentFake(client, node).report(entry("counter-happy", 1, ProgramPhase.Attached));

        awaitStatus("counter-happy", status -> {
            assertThat(status.getAttachedNodes()).isEqualTo(1);
            assertThat(status.getFailedNodes()).isZero();
            assertThat(condition(status, ConditionType.Ready).getStatus()).isEqualTo("True");
            assertThat(condition(status, ConditionType.Degraded).getStatus()).isEqualTo("False");
        });
        SignedBpfProgram program = get("counter-happy");
        PrinterColumns columns = PrinterColumns.of(GeneratedCrds.forKind(SignedBpfProgram.class));
        assertThat(columns.row(program, Instant.now()))
                .containsEntry("NAME", "counter-happy")
                .containsEntry("VERIFIED", "True")
                .containsEntry("READY", "True")
                .containsEntry("TARGETED", "1")
                .containsEntry("ATTACHED", "1")
                .containsEntry("FAILED", "0");
        System.out.println("$ kubectl get sbpf counter-happy\n" + columns.table(List.of(program), Instant.now()));
        assertThat(reasons("counter-happy")).contains(EventReason.RolloutStarted.name(), EventReason.RolloutCompleted.name());
        assertThat(registry.scrape())
                .contains("sigil_programs{phase=\"Ready\"}")
                .contains("sigil_nodes{phase=\"Attached\"}")
                .contains("operator_sdk_reconciliations");
    }

    @Test
    void eventsAboutAProgramLiveInDefaultAsTheApiServerRequiresForClusterScopedObjects() {
        create(TestPrograms.program("counter-events", SIGNED, Map.of(CASE_LABEL, "events")));
        linuxNode("events-a", "events");

        await().untilAsserted(() -> assertThat(events("counter-events")).isNotEmpty());
        assertThat(events("counter-events")).allSatisfy(event -> {
            assertThat(event.getMetadata().getNamespace()).isEqualTo("default");
            assertThat(event.getInvolvedObject().getNamespace()).isNullOrEmpty();
            assertThat(event.getInvolvedObject().getUid()).isEqualTo(get("counter-events").getMetadata().getUid());
        });
        assertThat(client.v1().events().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void tamperedSignatureIsNeverScheduled() {
        String node = linuxNode("tampered-a", "tampered");
        byte[] signature = SIGNED.signature().clone();
        signature[signature.length - 1] ^= 0x01;
        SignedBpfProgram program = TestPrograms.program("counter-tampered", SIGNED, Map.of(CASE_LABEL, "tampered"));
        program.getSpec().setSignature(Base64.getEncoder().encodeToString(signature));
        create(program);

        awaitStatus("counter-tampered", status -> {
            Condition verified = condition(status, ConditionType.Verified);
            assertThat(verified.getStatus()).isEqualTo("False");
            assertThat(verified.getReason()).isEqualTo("SignatureInvalid");
            assertThat(verified.getMessage()).isNotBlank();
            assertThat(status.getTargetedNodes()).isZero();
            assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("NotVerified");
        });
        assertThat(reasons("counter-tampered")).contains(EventReason.VerificationFailed.name());
        assertThat(agentLabel(node)).isNull();
    }

    @Test
    void revokingTheSignerThroughTheTrustConfigMapUnschedulesItsPrograms() {
        String node = linuxNode("revoked-a", "revoked");
        NodeAgentFake agent = new NodeAgentFake(client, node);
        String bystander = linuxNode("revoked-bystander", "revoked-bystander");
        create(TestPrograms.program("counter-revoked", TestPrograms.sign(REVOCABLE), Map.of(CASE_LABEL, "revoked")));
        create(TestPrograms.program("counter-bystander", SIGNED, Map.of(CASE_LABEL, "revoked-bystander")));
        awaitLabel(node, true);
        awaitLabel(bystander, true);
        agent.report(entry("counter-revoked", 1, ProgramPhase.Attached));

        client.configMaps().inNamespace(NAMESPACE).withName(TRUST).edit(configMap -> {
            configMap.getData().put("revoked-certificates",
                    "# compromised test key\n" + Certificates.fingerprintSha256(REVOCABLE.certificate()) + "\n");
            return configMap;
        });

        awaitStatus("counter-revoked", status -> {
            assertThat(condition(status, ConditionType.Verified).getStatus()).isEqualTo("False");
            assertThat(condition(status, ConditionType.Verified).getReason()).isEqualTo("Revoked");
            assertThat(status.getTargetedNodes()).isZero();
        });
        // The node's agent still holds the revoked program: it keeps running there until it has unloaded it.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(agentLabel(node)).isEqualTo("true"));
        agent.report(entry("counter-revoked", 1, ProgramPhase.Failed));
        awaitLabel(node, false);
        assertThat(condition(get("counter-bystander").getStatus(), ConditionType.Verified).getStatus()).isEqualTo("True");
        assertThat(agentLabel(bystander)).isEqualTo("true");
    }

    @Test
    void newGenerationCountsOnlyNodesReportingIt() {
        NodeAgentFake agent = attachedOnOneNode("generation");

        // A change the signed intent allows (a stronger enforcement) makes a new generation that still verifies.
        client.resources(SignedBpfProgram.class).withName("counter-generation").edit(program -> {
            program.getSpec().setEnforcement(Enforcement.Kernel);
            return program;
        });

        awaitStatus("counter-generation", status -> {
            assertThat(status.getObservedGeneration()).isEqualTo(2);
            assertThat(status.getAttachedNodes()).isZero();
            assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("RollingOut");
        });
        assertThat(agentLabel(agent.node())).isEqualTo("true");

        agent.report(entry("counter-generation", 2, ProgramPhase.Attached));
        awaitStatus("counter-generation", status -> {
            assertThat(status.getAttachedNodes()).isEqualTo(1);
            assertThat(condition(status, ConditionType.Ready).getStatus()).isEqualTo("True");
        });
    }

    @Test
    void failingNodeDegradesTheProgramAndRecordsAWarning() {
        String node = linuxNode("failing-a", "failing");
        create(TestPrograms.program("counter-failing", SIGNED, Map.of(CASE_LABEL, "failing")));
        new NodeAgentFake(client, node).report(
                failed("counter-failing", 1, "AttachFailed", "raw_tracepoint sys_enter: EPERM"));

        awaitStatus("counter-failing", status -> {
            assertThat(status.getFailedNodes()).isEqualTo(1);
            assertThat(status.getFailingNodes()).singleElement().satisfies(failing -> {
                assertThat(failing.getNode()).isEqualTo(node);
                assertThat(failing.getReason()).isEqualTo("AttachFailed");
            });
            assertThat(condition(status, ConditionType.Degraded).getStatus()).isEqualTo("True");
            assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("NodesFailed");
        });
        assertThat(events("counter-failing")).anySatisfy(event -> {
            assertThat(event.getReason()).isEqualTo(EventReason.NodeFailed.name());
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getMessage()).contains(node).contains("AttachFailed");
        });
    }

    @Test
    void deletionWaitsUntilNoNodeReportsTheProgram() {
        NodeAgentFake agent = attachedOnOneNode("deleting");

        client.resources(SignedBpfProgram.class).withName("counter-deleting").delete();
        await().untilAsserted(() -> assertThat(get("counter-deleting").getMetadata().getDeletionTimestamp()).isNotNull());
        agent.report(entry("counter-deleting", 1, ProgramPhase.Unloading));
        assertThat(get("counter-deleting").getMetadata().getFinalizers())
                .contains(SignedBpfProgramReconciler.FINALIZER);

        agent.report();
        awaitGone("counter-deleting");
        awaitLabel(agent.node(), false);
    }

    @Test
    void deletionGivesUpAfterTheTimeoutWithAWarningNamingTheNodes() {
        NodeAgentFake agent = attachedOnOneNode("stuck");

        client.resources(SignedBpfProgram.class).withName("counter-stuck").delete();
        await().untilAsserted(() -> assertThat(get("counter-stuck").getMetadata().getDeletionTimestamp()).isNotNull());
        clock.advance(DELETION_TIMEOUT.plusSeconds(1));
        // The node reports the program still unloading; that report (a heartbeat would wake no program) wakes the
        // finalizer, which now gives up.
        agent.report(entry("counter-stuck", 1, ProgramPhase.Unloading));

        awaitGone("counter-stuck");
        assertThat(events("counter-stuck")).anySatisfy(event -> {
            assertThat(event.getReason()).isEqualTo(EventReason.DeletionTimedOut.name());
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getMessage()).contains(agent.node());
        });
    }

    @Test
    void nodeStateOfADeletedNodeIsCollected() {
        String node = linuxNode("departed-a", "departed");
        new NodeAgentFake(client, node).report();
        assertThat(client.resources(BpfNodeState.class).withName(node).get()).isNotNull();

        client.nodes().withName(node).delete();

        await().untilAsserted(() -> assertThat(client.resources(BpfNodeState.class).withName(node).get()).isNull());
    }

    @Test
    void probesAndMetricsAnswerOverHttp() throws Exception {
        var routes = OperatorEndpoints.routes(operator, registry, 0, 0);
        try (HttpEndpoints endpoints = HttpEndpoints.serve(new InetSocketAddress("127.0.0.1", 0), routes.get(0));
                HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + endpoints.port();
            await().untilAsserted(() -> assertThat(get(http, base + "/readyz").statusCode()).isEqualTo(200));
            assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = get(http, base + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("sigil_programs{phase=\"Unverified\"}")
                    .contains("operator_sdk_reconciliations_started_total")
                    .contains("operator_sdk_controllers_execution_reconcile_seconds");
            assertThat(get(http, base + "/metrics/other").statusCode()).isEqualTo(404);
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    /**
     * Program counter-{testCase} targets node {testCase}-a alone, which carries the agent label and whose agent
     * reports generation 1 attached. The label and the status come from two reconcilers: each is awaited.
     */
    private static NodeAgentFake attachedOnOneNode(String testCase) {
        String program = "counter-" + testCase;
        NodeAgentFake agent = new NodeAgentFake(client, linuxNode(testCase + "-a", testCase));
        create(TestPrograms.program(program, SIGNED, Map.of(CASE_LABEL, testCase)));
        agent.report(entry(program, 1, ProgramPhase.Attached));
        awaitStatus(program, status -> assertThat(status.getAttachedNodes()).isEqualTo(1));
        awaitLabel(agent.node(), true);
        return agent;
    }

    private static String linuxNode(String name, String testCase) {
        api.createNode(name, Map.of("kubernetes.io/os", "linux", CASE_LABEL, testCase));
        return name;
    }

    private static void create(SignedBpfProgram program) {
        client.resource(program).create();
    }

    private static SignedBpfProgram get(String name) {
        return client.resources(SignedBpfProgram.class).withName(name).get();
    }

    private static String agentLabel(String node) {
        return client.nodes().withName(node).get().getMetadata().getLabels().get(SigilApi.AGENT_NODE_LABEL);
    }

    private static void awaitLabel(String node, boolean present) {
        await().untilAsserted(() -> assertThat(agentLabel(node)).isEqualTo(present ? "true" : null));
    }

    private static void awaitGone(String program) {
        await().untilAsserted(() -> assertThat(get(program)).isNull());
    }

    private static void awaitStatus(String program, Consumer<SignedBpfProgramStatus> expectation) {
        await().untilAsserted(() -> {
            SignedBpfProgram current = get(program);
            assertThat(current.getStatus()).isNotNull();
            expectation.accept(current.getStatus());
        });
    }

    private static Condition condition(SignedBpfProgramStatus status, ConditionType type) {
        return ProgramConditions.find(status, type).orElseThrow(() -> new AssertionError("no " + type + " condition"));
    }

    private static List<Event> events(String program) {
        return client.v1().events().inNamespace(EventRecorder.CLUSTER_SCOPED_EVENT_NAMESPACE).list().getItems().stream()
                .filter(event -> program.equals(event.getInvolvedObject().getName()))
                .toList();
    }

    private static List<String> reasons(String program) {
        return events(program).stream().map(Event::getReason).toList();
    }
}
