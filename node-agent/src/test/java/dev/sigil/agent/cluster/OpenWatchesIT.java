package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.sigil.crds.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's own test of a live watch, on the strict mock serving watches over HTTP as kube-apiserver does: open
 * from the answer, before any event (a quiet watch is live), closed when the client ends it or the server goes away,
 * each watch of a resource counted, and neither a list nor a forbidden watch counted at all.
 */
class OpenWatchesIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NODES = ClusterView.NODES.getPlural();

    private MockApiServer api;
    private AgentClient agent;

    @BeforeEach
    void start() {
        api = MockApiServer.start();
        agent = AgentClients.failFast(api);
    }

    @AfterEach
    void stop() {
        try {
            agent.close();
        } finally {
            api.close();
        }
    }

    @Test
    void aQuietWatchIsOpenFromItsAnswerUntilTheClientEndsIt() {
        agent.kubernetes().genericKubernetesResources(ClusterView.NODES).list();
        assertThat(agent.watches().isOpen(NODES)).as("a list is no watch").isFalse();

        try (Watch watch = watchNodes()) {
            await().atMost(WAIT).until(() -> agent.watches().isOpen(NODES));
            assertThat(api.openWatches()).as("no event was sent on it").isEqualTo(1);
            assertThat(agent.watches().isOpen("namespaces")).isFalse();
        }
        await().atMost(WAIT).until(() -> !agent.watches().isOpen(NODES));
    }

    @Test
    void everyWatchOfAResourceCountsUntilTheLastEnds() {
        Watch first = watchNodes();
        try (Watch second = watchNodes()) {
            await().atMost(WAIT).until(() -> api.openWatches() == 2);
            first.close();
            await().atMost(WAIT).until(() -> api.openWatches() == 1);
            assertThat(agent.watches().isOpen(NODES)).isTrue();
        }
        await().atMost(WAIT).until(() -> !agent.watches().isOpen(NODES));
    }

    @Test
    void aWatchIsClosedOnceTheServerIsGone() {
        try (Watch watch = watchNodes()) {
            await().atMost(WAIT).until(() -> agent.watches().isOpen(NODES));
            api.stop();
            await().atMost(WAIT).until(() -> !agent.watches().isOpen(NODES));
        }
    }

    @Test
    void aForbiddenWatchIsNeverOpen() throws IOException {
        // As kube-apiserver answers an agent whose role lacks "watch": 403 with a Status.
        HttpServer forbidding = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger watchesAsked = new AtomicInteger();
        forbidding.createContext("/", exchange -> {
            if (exchange.getRequestURI().getRawQuery().contains("watch=true")) {
                watchesAsked.incrementAndGet();
            }
            byte[] status = """
                    {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403}"""
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(403, status.length);
            exchange.getResponseBody().write(status);
            exchange.close();
        });
        forbidding.start();
        try (AgentClient refused = AgentClient.connect(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + forbidding.getAddress().getPort()).withRequestRetryBackoffLimit(0).build());
                Watch watch = refused.kubernetes().genericKubernetesResources(ClusterView.NODES).watch(new Ignoring())) {
            // Fabric8 asks again after a pause: through the first two refusals.
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> !refused.watches().isOpen(NODES));
            await().atMost(WAIT).until(() -> watchesAsked.get() >= 2);
        } finally {
            forbidding.stop(0);
        }
    }

    private Watch watchNodes() {
        return agent.kubernetes().genericKubernetesResources(ClusterView.NODES).watch(new Ignoring());
    }

    private static final class Ignoring implements Watcher<GenericKubernetesResource> {
        @Override
        public void eventReceived(Action action, GenericKubernetesResource resource) {
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }
}
