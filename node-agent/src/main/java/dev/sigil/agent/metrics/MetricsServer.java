package dev.sigil.agent.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code /metrics} over HTTP: on a server of its own (standalone {@code sigil agent run --metrics-port}), or on
 * another server such as the cluster agent's health port ({@link #serveOn}).
 */
public final class MetricsServer implements AutoCloseable {
    public static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** @param port 0 picks a free port (tests) */
    public static MetricsServer start(int port, AgentMetrics metrics) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        serveOn(server, metrics);
        server.start();
        return new MetricsServer(server);
    }

    /** Adds {@code /metrics} to {@code server}. */
    public static void serveOn(HttpServer server, AgentMetrics metrics) {
        server.createContext(PATH, exchange -> {
            byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
