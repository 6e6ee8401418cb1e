package dev.sigil.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.testing.JavaProcess;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.operator.conditions.ConditionType;
import dev.sigil.operator.conditions.ProgramConditions;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator as its launcher runs it, a JVM of its own against the strict mock API server: SIGTERM ends it
 * within 10 s with leader election on and off, releasing the Lease; a Lease lost while running ends it too.
 * Each case has its own namespace, so each has its own Lease.
 */
class OperatorShutdownIT {
    private static final Duration SIGTERM_DEADLINE = Duration.ofSeconds(10);
    private static final SigningKey RELEASE = TestPrograms.newSigner("release");
    private static final SignedBundle SIGNED = TestPrograms.sign(RELEASE);

    private static MockApiServer api;
    private static KubernetesClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void startApiServer() {
        api = MockApiServer.start();
        client = api.client();
    }

    @AfterAll
    static void stopApiServer() {
        api.close();
    }

    @ParameterizedTest(name = "leader election {0}")
    @ValueSource(booleans = {true, false})
    void sigtermEndsTheOperatorWithinTenSecondsAndReleasesItsLease(boolean leaderElection) throws IOException {
        String namespace = leaderElection ? "sigterm-leader" : "sigterm-alone";
        try (JavaProcess operator = startOperator(namespace, leaderElection)) {
            awaitReconciling(operator, namespace);
            String holder = leaderElection ? awaitLeaseHolder(operator, namespace) : null;

            Instant sent = Instant.now();
            operator.sigterm();
            Optional<Integer> exit = operator.awaitExit(SIGTERM_DEADLINE);

            assertThat(exit).as("exit within %s of SIGTERM; %s", SIGTERM_DEADLINE, operator.tail(40)).isPresent();
            System.out.printf("operator (leader election %s) exited %s after SIGTERM in %d ms%n", leaderElection,
                    exit.get(), Duration.between(sent, Instant.now()).toMillis());
            assertThat(operator.output()).doesNotContain(" ERROR ");
            if (leaderElection) {
                assertThat(lease(namespace).getSpec().getHolderIdentity())
                        .as("the Lease %s held is released", holder).isNullOrEmpty();
            } else {
                assertThat(lease(namespace)).as("no leader election, no Lease").isNull();
            }
        }
    }

    @Test
    void losingTheLeaseWhileRunningEndsTheOperator() throws IOException {
        String namespace = "lease-lost";
        try (JavaProcess operator = startOperator(namespace, true)) {
            awaitLeaseHolder(operator, namespace);

            String now = Leadership.MICRO_TIME.format(Instant.now());
            client.leases().inNamespace(namespace).withName(OperatorConfig.LEASE_NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\": {\"holderIdentity\": \"usurper\", \"leaseDurationSeconds\": 60, \"acquireTime\": \"" + now
                            + "\", \"renewTime\": \"" + now + "\"}}");

            assertThat(operator.awaitExit(Duration.ofSeconds(30))).as(operator.tail(40)).contains(1);
            assertThat(operator.output()).contains("Lost the Lease " + namespace + "/" + OperatorConfig.LEASE_NAME);
        }
    }

    private JavaProcess startOperator(String namespace, boolean leaderElection) throws IOException {
        api.createNamespace(namespace);
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("sigil-trust").withNamespace(namespace).endMetadata()
                .addToData("release.pem", SignedFixtures.pem(RELEASE.certificate()))
                .build()).create();
        Path config = Files.writeString(dir.resolve("operator.yaml"), "agent: {image: registry.example/sigil:test}\n");
        List<String> args = new ArrayList<>(List.of("--namespace", namespace, "--trust-configmap", namespace + "/sigil-trust",
                "--config", config.toString(), "--health-port", "0", "--metrics-port", "0",
                leaderElection ? "--leader-election" : "--no-leader-election"));
        return JavaProcess.start("sigil-operator " + namespace, JavaProcess.onTestClasspath(OperatorMain.class.getName(), args),
                Map.of("KUBECONFIG", api.writeKubeconfig(dir.resolve("kubeconfig")).toString(), "SIGIL_TEST_LOG", "INFO"),
                dir.resolve("operator.log"));
    }

    /** The operator verified a program created for this case: it is up and reconciling. */
    private static void awaitReconciling(JavaProcess operator, String namespace) {
        String name = "counter-" + namespace;
        client.resource(TestPrograms.program(name, SIGNED, Map.of("sigil.test/case", namespace))).create();
        await(operator).untilAsserted(() -> {
            SignedBpfProgram program = client.resources(SignedBpfProgram.class).withName(name).get();
            assertThat(program.getStatus()).isNotNull();
            assertThat(ProgramConditions.holds(program.getStatus(), ConditionType.Verified)).isTrue();
        });
    }

    private static String awaitLeaseHolder(JavaProcess operator, String namespace) {
        return await(operator).until(() -> Optional.ofNullable(lease(namespace)).map(lease -> lease.getSpec().getHolderIdentity())
                .orElse(null), holder -> holder != null && !holder.isEmpty());
    }

    private static Lease lease(String namespace) {
        return client.leases().inNamespace(namespace).withName(OperatorConfig.LEASE_NAME).get();
    }

    /** A JVM starting on a loaded 2-core machine takes its time; fail early if it died. */
    private static ConditionFactory await(JavaProcess operator) {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .failFast(operator.tail(40), () -> !operator.isAlive());
    }
}
