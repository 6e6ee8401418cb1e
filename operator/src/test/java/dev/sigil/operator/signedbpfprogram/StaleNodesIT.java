package dev.sigil.operator.signedbpfprogram;

import static dev.sigil.operator.NodeAgentFake.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.crds.signedbpfprogram.status.StaleNode;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.operator.NodeAgentFake;
import dev.sigil.operator.OperatorConfig;
import dev.sigil.operator.SigilOperator;
import dev.sigil.operator.TestClock;
import dev.sigil.operator.TestPrograms;
import dev.sigil.operator.agent.AgentConfig;
import dev.sigil.operator.conditions.ConditionType;
import dev.sigil.operator.conditions.ProgramConditions;
import dev.sigil.operator.trust.ObjectRef;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11.3 against the mock API server, with the operator's clock moved by the test: a node whose agent stops
 * reporting for three of its heartbeat intervals is stale (counted apart, named, Ready Unknown, a metric), and
 * counts again once it reports; a heartbeat that changes nothing else reconciles no program; the state of a node
 * that went while the operator was away is collected when it starts.
 */
class StaleNodesIT {
    private static final String NAMESPACE = "sigil-system";
    private static final String TRUST = "sigil-trust";
    private static final String CASE_LABEL = "sigil.test/case";
    private static final SigningKey RELEASE = TestPrograms.newSigner("release");
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
                .build()).create();
        BpfNodeState ghost = new BpfNodeState();
        ghost.setMetadata(new ObjectMetaBuilder().withName("ghost-node").build());
        client.resource(ghost).create();
        clock = new TestClock();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        operator = SigilOperator.create(client, new OperatorConfig(NAMESPACE, new ObjectRef(NAMESPACE, TRUST),
                AgentConfig.defaults("registry.example/sigil:test", TRUST), Duration.ofMinutes(5), false),
                Optional.empty(), registry, clock);
        operator.start();
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
        api.close();
    }

    @Test
    void aNodeWhoseAgentStopsReportingIsStaleUntilItReportsAgain() {
        NodeAgentFake silent = agent("silent-a", "silence");
        NodeAgentFake talking = agent("silent-b", "silence");
        client.resource(TestPrograms.program("counter-silence", SIGNED, Map.of(CASE_LABEL, "silence"))).create();
        silent.report(entry("counter-silence", 1, ProgramPhase.Attached));
        String silentSince = client.resources(BpfNodeState.class).withName("silent-a").get().getStatus().getLastUpdateTime();
        talking.report(entry("counter-silence", 1, ProgramPhase.Attached));
        awaitStatus("counter-silence", status -> assertThat(condition(status, ConditionType.Ready)).isEqualTo("True"));

        clock.advance(Duration.ofMinutes(4));
        talking.report(entry("counter-silence", 1, ProgramPhase.Attached));

        awaitStatus("counter-silence", status -> {
            assertThat(status.getStaleNodes()).isEqualTo(1);
            assertThat(status.getAttachedNodes()).isEqualTo(1);
            assertThat(status.getStaleNodeReports()).extracting(StaleNode::getNode, StaleNode::getLastReportTime)
                    .singleElement().isEqualTo(tuple("silent-a", silentSince));
            assertThat(condition(status, ConditionType.Ready)).isEqualTo("Unknown");
            assertThat(ProgramConditions.find(status, ConditionType.Ready).orElseThrow().getReason())
                    .isEqualTo(ProgramReason.NodesStale.name());
        });
        assertThat(registry.scrape()).contains("sigil_operator_stale_nodes ");
        double staleWhileSilent = staleNodesGauge();
        assertThat(staleWhileSilent).as("silent-a, and any node of another test that stopped reporting").isPositive();

        silent.report(entry("counter-silence", 1, ProgramPhase.Attached));

        awaitStatus("counter-silence", status -> {
            assertThat(status.getStaleNodes()).isZero();
            assertThat(status.getAttachedNodes()).isEqualTo(2);
            assertThat(condition(status, ConditionType.Ready)).isEqualTo("True");
        });
        assertThat(staleNodesGauge()).isEqualTo(staleWhileSilent - 1);
    }

    @Test
    void theStateOfANodeThatWentWhileTheOperatorWasAwayIsCollected() {
        await().untilAsserted(() -> assertThat(client.resources(BpfNodeState.class).withName("ghost-node").get()).isNull());
    }

    @Test
    void aHeartbeatThatChangesNothingElseReconcilesNoProgram() {
        NodeAgentFake agent = agent("steady-a", "steady");
        client.resource(TestPrograms.program("counter-steady", SIGNED, Map.of(CASE_LABEL, "steady"))).create();
        agent.report(entry("counter-steady", 1, ProgramPhase.Attached));
        awaitStatus("counter-steady", status -> assertThat(condition(status, ConditionType.Ready)).isEqualTo("True"));
        double settled = awaitSteadyReconciles();

        for (int heartbeat = 0; heartbeat < 5; heartbeat++) {
            agent.report(entry("counter-steady", 1, ProgramPhase.Attached));
        }

        await().during(Duration.ofSeconds(2)).until(StaleNodesIT::programReconciles, count -> count == settled);
        agent.report(NodeAgentFake.failed("counter-steady", 1, "AttachFailed", "EBUSY"));
        awaitStatus("counter-steady", status -> assertThat(status.getFailedNodes()).isEqualTo(1));
        assertThat(programReconciles()).as("a changed report does reconcile").isGreaterThan(settled);
    }

    /** Waits until no program reconcile started over half a second; returns how many had. */
    private static double awaitSteadyReconciles() {
        double[] last = {-1};
        await().pollInterval(Duration.ofMillis(500)).until(() -> {
            double now = programReconciles();
            boolean steady = now == last[0];
            last[0] = now;
            return steady;
        });
        return last[0];
    }

    private static double staleNodesGauge() {
        return registry.find("sigil.operator.stale.nodes").gauge().value();
    }

    private static double programReconciles() {
        return registry.find("operator.sdk.reconciliations.started").counters().stream()
                .filter(counter -> counter.getId().getTags().stream()
                        .anyMatch(tag -> "SignedBpfProgram".equals(tag.getValue())))
                .mapToDouble(Counter::count)
                .sum();
    }

    private static NodeAgentFake agent(String node, String testCase) {
        api.createNode(node, Map.of("kubernetes.io/os", "linux", CASE_LABEL, testCase));
        return new NodeAgentFake(client, node, clock);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    private static void awaitStatus(String program, Consumer<SignedBpfProgramStatus> expectation) {
        await().untilAsserted(() -> {
            SignedBpfProgram current = client.resources(SignedBpfProgram.class).withName(program).get();
            assertThat(current.getStatus()).isNotNull();
            expectation.accept(current.getStatus());
        });
    }

    private static String condition(SignedBpfProgramStatus status, ConditionType type) {
        return ProgramConditions.find(status, type).map(io.fabric8.kubernetes.api.model.Condition::getStatus).orElse(null);
    }
}
