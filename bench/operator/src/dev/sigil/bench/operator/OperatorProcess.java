package dev.sigil.bench.operator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator in a JVM of its own ({@link OperatorUnderTest}), so its heap and CPU are its own and the
 * mock API server's and the simulated agents' work is not counted against it.
 */
final class OperatorProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private OperatorProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static OperatorProcess launch(String masterUrl, String trust, List<String> jvmFlags, Path config, Path logback,
            Path log) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-Dlogback.configurationFile=" + logback);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OperatorUnderTest.class.getName(),
                "--master", masterUrl, "--port", Integer.toString(port), "--trust", trust,
                "--config", config.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // However the driver ends, the operator goes with it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        OperatorProcess operator = new OperatorProcess(process, port);
        operator.awaitEndpoints();
        return operator;
    }

    /** The endpoints come up before the operator starts: the phase that times its start can read them. */
    private void awaitEndpoints() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                get("/stats");
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw notYet;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    boolean ready() {
        try {
            return get("/readyz").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    Stats stats() throws IOException {
        return new Stats(JSON.readValue(get("/stats").body(), new TypeReference<Map<String, Object>>() { }));
    }

    /** Runs a full GC in the operator and returns the heap still in use: its live set. */
    long liveHeapBytes() throws IOException {
        Map<String, Object> answer = JSON.readValue(get("/gc").body(), new TypeReference<Map<String, Object>>() { });
        return ((Number) answer.get("heapUsedBytes")).longValue();
    }

    private HttpResponse<String> get(String path) throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the operator process exited with " + process.exitValue() + "; see its log");
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** One reading of the operator's {@code /stats}. */
    record Stats(Map<String, Object> values) {
        long number(String key) {
            return ((Number) values.get(key)).longValue();
        }

        @SuppressWarnings("unchecked")
        long sum(String key) {
            return ((Map<String, Number>) values.get(key)).values().stream().mapToLong(Number::longValue).sum();
        }

        @SuppressWarnings("unchecked")
        long in(String key, String member) {
            Number value = ((Map<String, Number>) values.get(key)).get(member);
            return value == null ? 0 : value.longValue();
        }
    }
}
