package dev.sigil.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** A tiny HTTP server for probes and metrics: GET only, one answer per path. */
public final class HttpEndpoints implements AutoCloseable {
    public record Response(int status, String contentType, String body) {
        public static Response text(boolean ok, String body) {
            return new Response(ok ? 200 : 503, "text/plain; charset=utf-8", body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoints(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static HttpEndpoints serve(InetSocketAddress address, Map<String, Supplier<Response>> routes)
            throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        routes.forEach((path, route) -> server.createContext(path, exchange -> answer(exchange, path, route)));
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        return new HttpEndpoints(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, String path, Supplier<Response> route) throws IOException {
        try (exchange) {
            Response response;
            if (!exchange.getRequestURI().getPath().equals(path)) {
                response = new Response(404, "text/plain; charset=utf-8", "not found\n");
            } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                response = new Response(405, "text/plain; charset=utf-8", "GET only\n");
            } else {
                response = route.get();
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
