package dev.sigil.kubectl;

import static dev.sigil.kubectl.Scene.attached;
import static dev.sigil.kubectl.Scene.condition;
import static dev.sigil.kubectl.Scene.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command against the shared mock API server, through a kubeconfig as a user runs it: a
 * cluster where {@code counter} runs on two edge nodes, fails on one and is stale on another, and
 * {@code tracer} is signed by a key the cluster does not trust.
 */
class KubectlSigilIT {
    private static final Map<String, String> EDGE = Map.of("role", "edge");
    private static final Map<String, String> LINUX_EDGE = Map.of("role", "edge", "kubernetes.io/os", "linux");

    @TempDir
    static Path dir;
    private static Scene scene;
    private static Path kubeconfig;
    private static SigningKey releaseKey;
    private static SignedBpfProgram counter;

    @BeforeAll
    static void cluster() throws IOException {
        scene = new Scene();
        kubeconfig = scene.kubeconfig(dir);
        releaseKey = Scene.signer("release");
        SigningKeys.write(releaseKey, dir.resolve("release"));
        SigningKeys.write(Scene.signer("someone else"), dir.resolve("stranger"));

        scene.node("node-a", LINUX_EDGE);
        scene.node("node-b", LINUX_EDGE);
        scene.node("node-c", LINUX_EDGE);
        scene.node("node-d", LINUX_EDGE);
        scene.node("node-e", Map.of("kubernetes.io/os", "linux"));
        scene.node("win-1", Map.of("role", "edge", "kubernetes.io/os", "windows"));

        counter = scene.status(scene.program("counter", releaseKey, EDGE), 4, 2, 1,
                condition("Verified", "True", "SignatureVerified", "signed by CN=release", Duration.ofMinutes(20)),
                condition("Ready", "False", "NodesFailed", "1 of 4 targeted nodes failed generation 1", Duration.ofMinutes(4)),
                condition("Degraded", "True", "NodesFailed", "node-b: AttachFailed", Duration.ofMinutes(4)));
        SignedBpfProgram tracer = scene.status(scene.program("tracer", Scene.signer("intruder"), Map.of()), 0, 0, 0,
                condition("Verified", "False", "UntrustedSigner", "no certificate in the trust bundle has SKID 1a2b",
                        Duration.ofMinutes(9)),
                condition("Ready", "False", "NotVerified", "the program is not verified", Duration.ofMinutes(9)),
                condition("Degraded", "False", "NoNodeFailures", "", Duration.ofMinutes(9)));

        scene.nodeState("node-a", Duration.ofSeconds(20), attached("counter", 1, 17589, 8889, Duration.ofMinutes(18)));
        scene.nodeState("node-b", Duration.ofSeconds(35), failed("counter", 1, "AttachFailed",
                "raw_tracepoint sys_enter: BPF_RAW_TRACEPOINT_OPEN failed: EBUSY", null, Duration.ofMinutes(4)));
        scene.nodeState("node-c", Duration.ofMinutes(11), attached("counter", 1, 301, 77, Duration.ofHours(2)));
        scene.nodeState("node-e", Duration.ofSeconds(5),
                failed("tracer", 1, "ProgramLoadFailed", "the verifier refused count_sys_enter",
                        "0: (b7) r0 = 0\nR1 invalid mem access 'scalar'", Duration.ofMinutes(9)));

        scene.event(counter, "default", "Normal", "RolloutStarted", "generation 1 verified; rolling out to 4 nodes",
                Duration.ofMinutes(20));
        scene.event(counter, "default", "Warning", "NodeFailed", "node-b: AttachFailed: raw_tracepoint sys_enter: EBUSY",
                Duration.ofMinutes(4));
        scene.event(tracer, "default", "Warning", "VerificationFailed", "UntrustedSigner", Duration.ofMinutes(9));
    }

    @AfterAll
    static void stop() {
        scene.close();
    }

    private static Plugin.Run plugin(Object... args) {
        Object[] withCluster = new Object[args.length + 4];
        System.arraycopy(args, 0, withCluster, 0, args.length);
        withCluster[args.length] = "--kubeconfig";
        withCluster[args.length + 1] = kubeconfig;
        withCluster[args.length + 2] = "--context";
        withCluster[args.length + 3] = "mock";
        return Plugin.run(withCluster);
    }

    @Test
    void statusShowsEveryTargetedNodeWithIdsAgesAndFailures() throws IOException {
        Plugin.Run run = plugin("status", "counter");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        Golden.assertMatches("status-counter.txt", run.out());
    }

    @Test
    void statusWithoutANameCoversEveryProgram() throws IOException {
        Plugin.Run run = plugin("status");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Golden.assertMatches("status-all.txt", run.out());
    }

    @Test
    void nodesShowsKernelProgramsAgentVersionAndStaleness() throws IOException {
        Plugin.Run run = plugin("nodes");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Golden.assertMatches("nodes.txt", run.out());
    }

    @Test
    void staleAfterHeartbeatsMovesTheStalenessThreshold() {
        Plugin.Run strict = plugin("nodes", "--stale-after-heartbeats", "1");
        Plugin.Run lenient = plugin("nodes", "--stale-after-heartbeats", "12");

        assertThat(strict.out().lines().filter(line -> line.endsWith("Stale"))).hasSize(1);
        assertThat(lenient.out().lines().filter(line -> line.endsWith("Stale"))).isEmpty();
        assertThat(plugin("nodes", "--stale-after-heartbeats", "0")).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).isEqualTo("kubectl sigil nodes: --stale-after-heartbeats: staleAfterHeartbeats must be between 1 and 1000, got 0\n");
        });
    }

    @Test
    void whyWalksFromConditionsToTheFailingAndStaleNodesAndEvents() throws IOException {
        Plugin.Run run = plugin("why", "counter");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Golden.assertMatches("why-counter.txt", run.out());
    }

    @Test
    void whyOfAnUnverifiedProgramStartsAtVerification() throws IOException {
        Plugin.Run run = plugin("why", "tracer", "-n", "platform-sigil");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Golden.assertMatches("why-tracer.txt", run.out());
    }

    @Test
    void verifyRecomputesTheVerdictAndSaysTheOperatorAgrees() {
        Plugin.Run run = plugin("verify", "counter", "--trust", dir.resolve("release/cert.pem"));

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("verified counter: signed by CN=release (SKID " + releaseKey.subjectKeyId())
                .endsWith("the operator agrees: Verified=True (SignatureVerified)\n");
    }

    @Test
    void verifyWithAnotherTrustBundleRejectsAndSaysTheOperatorDisagrees() {
        Plugin.Run run = plugin("verify", "counter", "--trust", dir.resolve("stranger/cert.pem"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("rejected counter: UntrustedSigner: ")
                .contains("the operator disagrees: Verified=True (SignatureVerified)");
    }

    @Test
    void verifyAgreesWithTheOperatorsRejection() {
        Plugin.Run run = plugin("verify", "tracer", "--trust", dir.resolve("release/cert.pem"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).endsWith("the operator agrees: Verified=False (UntrustedSigner)\n");
    }

    @Test
    void verifyReadsAFileWithoutACluster() throws IOException {
        Path file = dir.resolve("counter.yaml");
        java.nio.file.Files.writeString(file, scene.client().getKubernetesSerialization().asYaml(counter));

        Plugin.Run run = Plugin.run("verify", "-f", file, "--trust", dir.resolve("release/cert.pem"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("verified counter: ");
    }

    @Test
    void verifyDetectsTamperingInAFile() throws IOException {
        Path file = dir.resolve("tampered.yaml");
        SignedBpfProgram tampered = scene.client().getKubernetesSerialization().clone(counter);
        tampered.getSpec().setHash("sha256:" + "0".repeat(64));
        java.nio.file.Files.writeString(file, scene.client().getKubernetesSerialization().asYaml(tampered));

        Plugin.Run run = Plugin.run("verify", "-f", file, "--trust", dir.resolve("release/cert.pem"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("rejected counter: HashMismatch: ");
    }

    @Test
    void verifyNeedsExactlyOneSourceAndATrustBundle() {
        assertThat(Plugin.run("verify", "counter").err())
                .isEqualTo("kubectl sigil verify: Missing required option: '--trust=FILE|DIR' (see kubectl sigil verify --help)\n");
        assertThat(Plugin.run("verify", "counter", "-f", "x.yaml", "--trust", "t.pem").exitCode()).isEqualTo(2);
        Plugin.Run missingTrust = Plugin.run("verify", "-f", "x.yaml", "--trust", dir.resolve("nothing.pem"));
        assertThat(missingTrust.exitCode()).isEqualTo(2);
        assertThat(missingTrust.err()).startsWith("kubectl sigil verify: ").contains("nothing.pem").hasLineCount(1);
    }

    @Test
    void anUnknownProgramIsOneLineAndExitOne() {
        Plugin.Run run = plugin("why", "nothing-here");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("kubectl sigil why: signedbpfprogram \"nothing-here\" not found\n");
    }

    @Test
    void usesTheKubeconfigsCurrentContextUnlessToldOtherwise() {
        Plugin.Run current = Plugin.run("nodes", "--kubeconfig", kubeconfig, "--request-timeout", "5");
        Plugin.Run unknown = Plugin.run("nodes", "--kubeconfig", kubeconfig, "--context", "prod");

        assertThat(current.exitCode()).isEqualTo(1);
        assertThat(current.err()).startsWith("kubectl sigil nodes: cannot reach the API server: ").hasLineCount(1);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("kubectl sigil nodes: --context prod: no such context in the kubeconfig\n");
    }

    @Test
    void aCertificateAuthorityThatHoldsNoCertificateIsAUsageError() throws Exception {
        Path notACertificate = Files.writeString(dir.resolve("garbled-ca.crt"), "not a certificate\n");
        Path garbled = Files.writeString(dir.resolve("garbled-ca-kubeconfig"), Files.readString(kubeconfig)
                .replace("http://127.0.0.1:1", "https://127.0.0.1:1")
                .replace("{server:", "{certificate-authority: \"" + notACertificate + "\", server:"));

        Plugin.Run run = Plugin.run("nodes", "--kubeconfig", garbled);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kubectl sigil nodes: cannot read the cluster CA (" + notACertificate + "): ")
                .hasLineCount(1);
    }

    @Test
    void anAnswerThatStopsHalfwayFailsWithinTheRequestTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answerHeadersOnly(server));
            Path stalled = dir.resolve("stalled-kubeconfig");
            Files.writeString(stalled, Files.readString(kubeconfig)
                    .replace("http://127.0.0.1:1", "http://127.0.0.1:" + server.getLocalPort()));

            Plugin.Run run = Plugin.run("nodes", "--kubeconfig", stalled, "--request-timeout", "2");
            Plugin.Run zero = Plugin.run("nodes", "--kubeconfig", stalled, "--request-timeout", "0");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("kubectl sigil nodes: the API server did not send the bpfnodestates within 2 s (--request-timeout)\n");
            assertThat(zero.exitCode()).isEqualTo(2);
            assertThat(zero.err()).isEqualTo("kubectl sigil nodes: --request-timeout 0: must be at least 1 second\n");
        }
    }

    /** Sends a response's headers and the first byte of its body to every request, then nothing more. */
    private static void answerHeadersOnly(ServerSocket server) {
        List<Socket> held = new ArrayList<>();
        try {
            while (true) {
                Socket socket = server.accept();
                held.add(socket);
                socket.getOutputStream().write("""
                        HTTP/1.1 200 OK\r
                        Content-Type: application/json\r
                        Content-Length: 4096\r
                        \r
                        {""".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
        } catch (IOException closed) {
            held.forEach(socket -> {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the test is over; the client has gone
                }
            });
        }
    }

    @Test
    void readsKubeconfigFromTheEnvironmentLikeKubectl() throws Exception {
        Path current = dir.resolve("current-context-mock");
        java.nio.file.Files.writeString(current, java.nio.file.Files.readString(kubeconfig)
                .replace("current-context: nowhere", "current-context: mock"));
        Path out = dir.resolve("env-out.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KubectlSigil.class.getName(), "nodes")
                .redirectOutput(out.toFile()).redirectErrorStream(true);
        builder.environment().put("KUBECONFIG", dir.resolve("absent") + java.io.File.pathSeparator + current);
        builder.environment().put("HOME", dir.toString());

        Process process = builder.start();

        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(java.nio.file.Files.readString(out)).as("exit %d", process.exitValue()).startsWith("NODE ").contains("node-c ");
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void aMissingCommandListsThem() {
        assertThat(Plugin.run()).isEqualTo(new Plugin.Run(2, "",
                "kubectl sigil: a command is required: status, nodes, verify, why (see kubectl sigil --help)\n"));
    }

    @Test
    void versionIsTheBuildsVersion() {
        assertThat(Plugin.run("--version")).isEqualTo(new Plugin.Run(0, "kubectl-sigil " + System.getProperty("sigil.version") + "\n", ""));
    }
}
