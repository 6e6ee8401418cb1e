package dev.sigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.testing.JavaProcess;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.signing.SigningKey;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigil agent cluster} from its release jar, a JVM of its own on this kernel against the strict mock:
 * SIGTERM ends it within 10 s, leaving a program its node still runs pinned for the next agent, and also when
 * the API server hangs (takes connections, answers nothing) and cannot say whether the node is still targeted.
 */
class AgentShutdownIT {
    private static final Duration SIGTERM_DEADLINE = Duration.ofSeconds(10);
    private static final SigningKey RELEASE = SignedPrograms.newSigner("release");

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().substring(0, 6);
    private final String node = "agent-sigterm-" + id;
    private final Path pinRoot = Path.of("/sys/fs/bpf/sigil-sigterm-" + id);
    private MockApiServer api;
    private JavaProcess agent;

    @BeforeEach
    void startAgent() throws IOException {
        KernelFeatures kernel = KernelAssumptions.requireLoaderHashV1();
        KernelAssumptions.require("raw_tracepoint attach", kernel.attach(AttachKind.RawTracepoint));
        api = MockApiServer.start();
        api.createNode(node, Map.of("kubernetes.io/os", "linux", "kubernetes.io/hostname", node));
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.writeString(trust.resolve("release.pem"), SignedFixtures.pem(RELEASE.certificate()));
        agent = JavaProcess.start("agent " + node, ReleaseJars.sigil(List.of("agent", "cluster", "--trust", trust.toString(),
                        "--node", node, "--pin-root", pinRoot.toString(), "--health-port", "0")),
                Map.of("KUBECONFIG", api.writeKubeconfig(dir.resolve("kubeconfig")).toString()), dir.resolve("agent.log"));
    }

    @AfterEach
    void stopAndClean() throws IOException {
        try {
            if (agent != null) {
                agent.close();
            }
            if (api != null) {
                api.close();
            }
        } finally {
            List<String> left = KernelObjects.pinnedResources(pinRoot);
            if (!left.isEmpty()) {
                try (JavaProcess unload = JavaProcess.start("sigil agent unload", ReleaseJars.sigil(
                        java.util.stream.Stream.concat(List.of("agent", "unload", "--pin-root", pinRoot.toString()).stream(),
                                left.stream()).toList()), Map.of(), dir.resolve("unload.log"))) {
                    assertThat(unload.awaitExit(Duration.ofMinutes(1))).as(unload.tail(10)).contains(0);
                }
            }
            Files.deleteIfExists(pinRoot);
        }
    }

    @Test
    void sigtermEndsTheAgentWithinTenSecondsAndLeavesWhatItsNodeStillRunsPinned() {
        String name = "counter-" + id;
        api.client().resource(SignedPrograms.program(name, SignedPrograms.sign(RELEASE), RELEASE, Map.of("kubernetes.io/hostname", node)))
                .create();
        long programId = awaitAttached(name);

        Duration took = sigterm();

        System.out.printf("agent exited %d ms after SIGTERM%n", took.toMillis());
        assertThat(KernelObjects.pinnedResources(pinRoot)).containsExactly(name);
        assertThat(KernelObjects.programLoaded(programId)).as("still attached for the next agent").isTrue();
        assertThat(agent.output()).contains("Shutting down: leaving [" + name + "] pinned").doesNotContain(" ERROR ");
    }

    @Test
    void sigtermEndsTheAgentWithinTenSecondsWhenTheApiServerHangs() throws IOException {
        Awaitility.await().atMost(Duration.ofSeconds(90)).failFast(agent.tail(20), () -> !agent.isAlive())
                .until(() -> api.client().resources(BpfNodeState.class).withName(node).get() != null);
        int port = api.client().getMasterUrl().getPort();
        api.stop();

        try (ServerSocket hung = bindAgain(port)) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                while (!hung.isClosed()) {
                    try {
                        held.add(hung.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            Duration took = sigterm();
            System.out.printf("agent with a hung API server exited %d ms after SIGTERM%n", took.toMillis());
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /**
     * The API server's port, listened on again. The agent keeps connecting to it meanwhile, and a connect from an
     * ephemeral port to a closed loopback port can pick that same port and hold it (a connection to itself,
     * dropped once the agent's client gives up on it), so binding is retried for a while.
     */
    private static ServerSocket bindAgain(int port) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(BindException.class)
                .until(() -> new ServerSocket(port, 50, InetAddress.getLoopbackAddress()), socket -> true);
    }

    private long awaitAttached(String name) {
        NodeProgramState entry = Awaitility.await().atMost(Duration.ofSeconds(90)).failFast(agent.tail(20), () -> !agent.isAlive())
                .until(() -> Optional.ofNullable(api.client().resources(BpfNodeState.class).withName(node).get())
                        .map(BpfNodeState::getStatus).flatMap(status -> Optional.ofNullable(status.getPrograms()))
                        .flatMap(programs -> programs.stream().filter(program -> name.equals(program.getName())).findFirst())
                        .orElse(null), state -> state != null && state.getPhase() == ProgramPhase.Attached);
        return entry.getPrograms().getFirst().getProgramId();
    }

    private Duration sigterm() {
        Instant sent = Instant.now();
        agent.sigterm();
        assertThat(agent.awaitExit(SIGTERM_DEADLINE)).as("exit within %s of SIGTERM; %s", SIGTERM_DEADLINE, agent.tail(30)).isPresent();
        return Duration.between(sent, Instant.now());
    }
}
