package dev.sigil.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.cluster.ClusterAgent;
import dev.sigil.agent.cluster.ClusterAgentConfig;
import dev.sigil.agent.node.HostConfig;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.BpffsMount;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.crds.SigilApi;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.schema.GeneratedCrds;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.operator.agent.AgentConfig;
import dev.sigil.operator.signedbpfprogram.ConditionType;
import dev.sigil.operator.signedbpfprogram.ProgramConditions;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.TrustBundle;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system in one JVM: the operator and the cluster agent (as node {@code node-a}, on this
 * machine's real kernel) share the mock API server. The signed example is applied, runs and counts,
 * shows up in the aggregated status; a tampered resource is unloaded and reported; deletion removes
 * its pins before the finalizer lets the resource go.
 */
class OperatorAgentE2E {
    private static final String NAMESPACE = "sigil-system";
    private static final String TRUST = "sigil-trust";
    private static final String NODE = "node-a";

    @TempDir
    Path trustDir;

    private final Path pinRoot = Path.of("/sys/fs/bpf/sigil-e2e-" + UUID.randomUUID().toString().substring(0, 8));
    private final AtomicReference<KernelProgramHost> agentHost = new AtomicReference<>();
    private MockApiServer api;
    private KubernetesClient client;
    private SigilOperator operator;
    private ClusterAgent agent;

    @BeforeEach
    void startOperatorAndAgent() throws Exception {
        KernelFeatures kernel = KernelAssumptions.requireLoaderHashV1();
        KernelAssumptions.require("raw_tracepoint attach", kernel.attach(AttachKind.RawTracepoint));

        SigningKey release = TestPrograms.newSigner("release");
        Files.writeString(trustDir.resolve("release.pem"), TestPrograms.pem(release.certificate()));
        api = MockApiServer.start();
        client = api.client();
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(TRUST).withNamespace(NAMESPACE).endMetadata()
                .addToData("release.pem", TestPrograms.pem(release.certificate()))
                .build()).create();
        api.createNode(NODE, Map.of("kubernetes.io/os", "linux", "kubernetes.io/hostname", NODE));

        operator = SigilOperator.create(client, new OperatorConfig(NAMESPACE, new ObjectRef(NAMESPACE, TRUST),
                AgentConfig.defaults("registry.example/sigil:e2e", TRUST), Duration.ofMinutes(1), false),
                Optional.empty(), new SimpleMeterRegistry(), Clock.systemUTC());
        operator.start();

        agent = new ClusterAgent(client, new ClusterAgentConfig(NODE, trustDir, Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Clock.systemUTC()), () -> {
                    KernelProgramHost host = KernelProgramHost.start(new HostConfig(pinRoot, TrustBundle.load(trustDir),
                            Clock.systemUTC(), Duration.ofSeconds(1)), BpffsMount.IfEmpty);
                    agentHost.set(host);
                    return host;
                });
        agent.start();
        this.signed = TestPrograms.sign(release);
    }

    private SignedBundle signed;

    @AfterEach
    void stopAndUnloadEverything() throws IOException {
        try {
            if (agent != null) {
                agent.close();
            }
            if (operator != null) {
                operator.close();
            }
            if (api != null) {
                api.close();
            }
        } finally {
            removePins();
        }
    }

    @Test
    void signedExampleRunsIsReportedAndGoesAwayCleanly() throws Exception {
        String name = "counter-" + UUID.randomUUID().toString().substring(0, 8);
        client.resource(TestPrograms.program(name, signed, Map.of("kubernetes.io/hostname", NODE))).create();

        awaitStatus(name, status -> {
            assertThat(ProgramConditions.holds(status, ConditionType.Verified)).isTrue();
            assertThat(status.getTargetedNodes()).isEqualTo(1);
            assertThat(status.getAttachedNodes()).isEqualTo(1);
            assertThat(ProgramConditions.holds(status, ConditionType.Ready)).isTrue();
        });
        await().untilAsserted(() -> assertThat(client.nodes().withName(NODE).get().getMetadata().getLabels())
                .containsEntry(SigilApi.AGENT_NODE_LABEL, "true"));
        assertThat(nodeEntry(name)).satisfies(entry -> {
            assertThat(entry.getPhase()).isEqualTo(ProgramPhase.Attached);
            assertThat(entry.getLoaderHash()).isEqualTo(signed.loaderHash());
            assertThat(Path.of(entry.getPrograms().getFirst().getPinPath())).exists();
        });
        long first = counter(name);
        await().untilAsserted(() -> {
            Files.readString(Path.of("/proc/self/status"));
            assertThat(counter(name)).isGreaterThan(first);
        });
        System.out.println("$ kubectl get sbpf\n" + PrinterColumns.of(GeneratedCrds.forKind(SignedBpfProgram.class))
                .table(List.of(client.resources(SignedBpfProgram.class).withName(name).get()), Instant.now()));

        byte[] metadata = signed.metadata().clone();
        metadata[metadata.length / 2] ^= 0x01;
        client.resources(SignedBpfProgram.class).withName(name).edit(program -> {
            program.getSpec().setMetadata(Base64.getEncoder().encodeToString(metadata));
            return program;
        });

        awaitStatus(name, status -> {
            assertThat(ProgramConditions.find(status, ConditionType.Verified).orElseThrow().getReason())
                    .isEqualTo("HashMismatch");
            assertThat(status.getTargetedNodes()).isZero();
        });
        await().untilAsserted(() -> assertThat(nodeEntry(name)).satisfies(entry -> {
            assertThat(entry.getPhase()).isEqualTo(ProgramPhase.Failed);
            assertThat(entry.getGeneration()).isEqualTo(2);
            assertThat(entry.getReason()).isEqualTo("HashMismatch");
        }));
        assertThat(pinRoot.resolve(name)).doesNotExist();
        await().untilAsserted(() -> assertThat(client.nodes().withName(NODE).get().getMetadata().getLabels())
                .doesNotContainKey(SigilApi.AGENT_NODE_LABEL));

        client.resources(SignedBpfProgram.class).withName(name).edit(program -> {
            program.getSpec().setMetadata(signed.metadataBase64());
            return program;
        });
        awaitStatus(name, status -> {
            assertThat(status.getObservedGeneration()).isEqualTo(3);
            assertThat(status.getAttachedNodes()).isEqualTo(1);
        });
        assertThat(pinRoot.resolve(name)).exists();

        client.resources(SignedBpfProgram.class).withName(name).delete();

        await().untilAsserted(() -> assertThat(client.resources(SignedBpfProgram.class).withName(name).get()).isNull());
        assertThat(pinRoot.resolve(name)).doesNotExist();
        assertThat(agentHost.get().states()).isEmpty();
        await().untilAsserted(() -> assertThat(client.nodes().withName(NODE).get().getMetadata().getLabels())
                .doesNotContainKey(SigilApi.AGENT_NODE_LABEL));
    }

    private long counter(String name) {
        return agentHost.get().readMapValue(name, "counts", 0).orElseThrow();
    }

    private NodeProgramState nodeEntry(String program) {
        BpfNodeState state = client.resources(BpfNodeState.class).withName(NODE).get();
        assertThat(state).as("BpfNodeState of %s", NODE).isNotNull();
        return state.getStatus().getPrograms().stream()
                .filter(entry -> program.equals(entry.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(NODE + " does not report " + program));
    }

    private void awaitStatus(String name, Consumer<SignedBpfProgramStatus> expectation) {
        await().untilAsserted(() -> {
            SignedBpfProgram program = client.resources(SignedBpfProgram.class).withName(name).get();
            assertThat(program.getStatus()).isNotNull();
            expectation.accept(program.getStatus());
        });
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    /** Whatever the agent left pinned (it keeps pins on shutdown by design) is unloaded, then the root removed. */
    private void removePins() throws IOException {
        if (!Files.exists(pinRoot)) {
            return;
        }
        try (KernelProgramHost host = KernelProgramHost.start(new HostConfig(pinRoot,
                TrustBundle.of(List.of(), dev.sigil.signing.Revocations.none()), Clock.systemUTC(), Duration.ofSeconds(1)),
                BpffsMount.Never)) {
            host.adoptPinned();
            host.states().forEach(state -> host.unload(state.name()));
        } finally {
            try (Stream<Path> walk = Files.walk(pinRoot)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
