package dev.sigil.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.operator.agent.AgentConfig;
import dev.sigil.operator.http.HttpEndpoints;
import dev.sigil.operator.trust.ObjectRef;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The HTTP endpoints as the launcher serves them, before the operator has started: the launcher opens them
 * first, and Prometheus may scrape at any moment. Every Sigil gauge answers (with nothing counted yet)
 * instead of failing the whole scrape.
 */
class OperatorEndpointsIT {
    private static final String NAMESPACE = "sigil-system";

    @Test
    void metricsAndProbesAnswerBeforeTheOperatorStarts() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MockApiServer api = MockApiServer.start();
                SigilOperator operator = SigilOperator.create(api.client(), new OperatorConfig(NAMESPACE,
                        new ObjectRef(NAMESPACE, "sigil-trust"), AgentConfig.defaults("registry.example/sigil:test",
                        "sigil-trust"), Duration.ofMinutes(5), false), Optional.empty(), registry, Clock.systemUTC());
                HttpEndpoints endpoints = HttpEndpoints.serve(new InetSocketAddress("127.0.0.1", 0),
                        OperatorEndpoints.routes(operator, registry, 0, 0).get(0));
                HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> metrics = get(http, endpoints, "/metrics");
            HttpResponse<String> ready = get(http, endpoints, "/readyz");

            assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("sigil_nodes{phase=\"Attached\"} 0.0")
                    .contains("sigil_nodes{phase=\"Failed\"} 0.0")
                    .contains("sigil_operator_stale_nodes 0.0")
                    .contains("sigil_programs{phase=\"Ready\"} 0.0");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("not ready\n");
        }
    }

    private static HttpResponse<String> get(HttpClient http, HttpEndpoints endpoints, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + endpoints.port() + path);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
