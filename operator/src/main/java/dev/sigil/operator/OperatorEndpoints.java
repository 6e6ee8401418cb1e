package dev.sigil.operator;

import dev.sigil.operator.http.HttpEndpoints.Response;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** What the operator answers over HTTP: liveness, readiness and Prometheus metrics. */
public final class OperatorEndpoints {
    private OperatorEndpoints() {
    }

    /** Port to path to answer; health and metrics may share a port. */
    public static Map<Integer, Map<String, Supplier<Response>>> routes(SigilOperator operator,
            PrometheusMeterRegistry registry, int healthPort, int metricsPort) {
        Map<Integer, Map<String, Supplier<Response>>> routes = new LinkedHashMap<>();
        Map<String, Supplier<Response>> health = routes.computeIfAbsent(healthPort, port -> new LinkedHashMap<>());
        health.put("/healthz", () -> Response.text(operator.isLive(), operator.isLive() ? "ok\n" : "stopping\n"));
        health.put("/readyz", () -> Response.text(operator.isReady(), operator.isReady() ? "ok\n" : "not ready\n"));
        routes.computeIfAbsent(metricsPort, port -> new LinkedHashMap<>())
                .put("/metrics", () -> new Response(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        return routes;
    }
}
