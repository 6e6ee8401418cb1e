package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.testing.FdCount;
import dev.sigil.bpf.testing.KernelAssumptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sigil agent run --metrics-port}: the example signed, loaded on this kernel, and its run count scraped over HTTP. */
class AgentRunMetricsIT {
    private static final String RUN_COUNT = "sigil_program_run_count_total{program=\"count_sys_enter\",resource=\"counter\"} ";

    @TempDir
    Path dir;

    private final Path pinRoot = Path.of("/sys/fs/bpf/sigil-cli-test-" + UUID.randomUUID().toString().substring(0, 8));

    @AfterEach
    void removePinRoot() throws IOException {
        if (Files.exists(pinRoot)) {
            try (Stream<Path> walk = Files.walk(pinRoot)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void servesTheRunCountOfTheProgramItLoadedUntilItStops() throws Exception {
        KernelFeatures kernel = KernelAssumptions.requireLoaderHashV1();
        KernelAssumptions.require("raw tracepoint attach", kernel.attach(AttachKind.RawTracepoint));
        Path keys = Sigil.keygen(dir.resolve("keys"), "CN=release");
        Path resource = dir.resolve("counter.yaml");
        Sigil.Run signed = Sigil.run("sign", "--skeleton", Sigil.counterSkeleton(dir), "--key", keys.resolve("key.pem"),
                "--cert", keys.resolve("cert.pem"), "--name", "counter", "-o", resource);
        assertThat(signed.exitCode()).as(signed.err()).isZero();
        long statsFdsBefore = statsFds();
        int port = freePort();

        CompletableFuture<Sigil.Run> agent = CompletableFuture.supplyAsync(() -> Sigil.run("agent", "run",
                "--trust", keys.resolve("cert.pem"), "--pin-root", pinRoot, "--metrics-port", port, "--duration", "6s",
                resource));
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        try (HttpClient http = HttpClient.newHttpClient()) {
            long first = await().atMost(Duration.ofSeconds(12)).ignoreExceptions()
                    .until(() -> runCount(http, metrics), count -> count >= 0);
            // The program counts system calls, and each scrape makes some; the 6 s run starts once it is attached.
            await().atMost(Duration.ofSeconds(10)).until(() -> runCount(http, metrics) > first);

            Sigil.Run run = agent.get(60, TimeUnit.SECONDS);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("sigil agent: metrics at http://localhost:" + port + "/metrics",
                    "unloaded counter");
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.discarding()))
                    .as("the metrics server stops with the agent").isInstanceOf(ConnectException.class);
        }
        assertThat(statsFds()).as("the fd keeping the kernel's run statistics on is closed").isEqualTo(statsFdsBefore);
    }

    @Test
    void refusesAPortThatIsNoPortBeforeTouchingTheKernel() throws IOException {
        Sigil.Run run = Sigil.run("agent", "run", "--trust", dir, "--metrics-port", "70000", dir.resolve("none.yaml"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--metrics-port must be a port (1-65535), got 70000");
    }

    /** The program's run count in one scrape; -1 while the agent has not reported it yet. */
    private static long runCount(HttpClient http, URI metrics) throws Exception {
        String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(line -> line.startsWith(RUN_COUNT)).findFirst()
                .map(line -> (long) Double.parseDouble(line.substring(RUN_COUNT.length()))).orElse(-1L);
    }

    private static long statsFds() {
        return FdCount.snapshot().stream().filter(fd -> fd.endsWith("anon_inode:bpf-stats")).count();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
