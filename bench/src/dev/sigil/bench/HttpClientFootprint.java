package dev.sigil.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * What a Fabric8 HTTP transport costs the agent (not a test): RSS and threads before and after a client with the
 * agent's two informers (Nodes, SignedBpfPrograms) and 200 list calls, against a local endpoint that answers every
 * list with an empty one and holds every watch open after one bookmark. The endpoint runs in this process in every run alike; only
 * the transport differs. {@code bench/footprint.sh} runs it once per transport, under the agent image's flags.
 *
 * <pre>HttpClientFootprint --factory FACTORY_CLASS --label LABEL</pre>
 */
public final class HttpClientFootprint {
    private static final byte[] EMPTY_LIST = """
            {"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":"1"},"items":[]}"""
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] BOOKMARK = """
            {"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"1"}}}
            """.getBytes(StandardCharsets.UTF_8);
    private static final int LISTS = 200;

    private HttpClientFootprint() {
    }

    public static void main(String[] args) throws Exception {
        var options = BenchOptions.parse(args);
        String label = BenchOptions.required(options, "--label");
        HttpClient.Factory factory = (HttpClient.Factory) Class.forName(BenchOptions.required(options, "--factory"))
                .getDeclaredConstructor().newInstance();
        CountDownLatch stop = new CountDownLatch(1);
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        api.createContext("/", exchange -> answer(exchange, stop));
        api.start();
        try {
            long rssBefore = settledRssKib();
            int threadsBefore = Thread.activeCount();
            String url = "http://127.0.0.1:" + api.getAddress().getPort();
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder().withMasterUrl(url).withNamespace("default").build())
                    .withHttpClientFactory(factory)
                    .build()) {
                var nodes = client.nodes().inform();
                var programs = client.resources(SignedBpfProgram.class).inform();
                for (int i = 0; i < LISTS; i++) {
                    client.nodes().list();
                }
                long rssAfter = settledRssKib();
                stop.countDown();
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | +%.1f | %d → %d |%n", label, rssBefore / 1024.0,
                        rssAfter / 1024.0, (rssAfter - rssBefore) / 1024.0, threadsBefore, Thread.activeCount());
                nodes.close();
                programs.close();
            }
        } finally {
            stop.countDown();
            api.stop(0);
        }
    }

    /** An empty list for a list call; a watch is held open (headers sent, no events) until the run ends. */
    private static void answer(HttpExchange exchange, CountDownLatch stop) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (exchange.getRequestURI().getQuery() != null && exchange.getRequestURI().getQuery().contains("watch=true")) {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(BOOKMARK);
            exchange.getResponseBody().flush();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(200, EMPTY_LIST.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(EMPTY_LIST);
        }
    }

    private static long settledRssKib() throws IOException, InterruptedException {
        System.gc();
        Thread.sleep(200);
        return ProcessMemory.rssKib();
    }
}
