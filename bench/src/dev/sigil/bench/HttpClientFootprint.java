package dev.sigil.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.crds.SigilApi;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a Kubernetes client costs the cluster agent (not a test): RSS and threads before and after a client that
 * informs on the agent's SignedBpfPrograms (typed) and its Node (untyped, by a stated resource definition, as
 * {@code ClusterView} does) and lists the Node 200 times, against a local endpoint that answers the program list
 * with the bytes of {@code --programs-list} (empty without it), the node list with one Node, and holds every watch
 * open after one bookmark. The endpoint runs in this process in every run alike; only the client differs:
 * <ul>
 *   <li>{@code --client FACTORY_CLASS}: Fabric8 over that HTTP transport, with the agent's serialization (no
 *       class-path search, as {@code AgentClient});</li>
 *   <li>{@code --client lean}: no Fabric8 and no Jackson, what a leaner client would keep: the JDK's HttpClient,
 *       each list read by SnakeYAML (which the resource reader already loads) into maps that stay cached, each
 *       watch a stream of lines read and parsed on a thread of its own.</li>
 * </ul>
 * Watches are plain HTTP streams here (the endpoint speaks no WebSocket, which Fabric8 uses for watches by
 * default). {@code --write-programs-list FILE --skeleton HEADER --programs N} writes a list of N SignedBpfPrograms
 * of the signed skeleton as the API server would return it, in a JVM of its own, so that writing it costs the
 * measured JVM nothing. {@code bench/footprint.sh} runs it under the agent image's flags.
 */
public final class HttpClientFootprint {
    private static final byte[] EMPTY_LIST = list("List", "");
    private static final byte[] NODE_LIST = list("NodeList", """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"bench","uid":"3f0c","resourceVersion":"1",\
            "labels":{"kubernetes.io/hostname":"bench","kubernetes.io/os":"linux"}}}""");
    private static final byte[] BOOKMARK = """
            {"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"1"}}}
            """.getBytes(StandardCharsets.UTF_8);
    private static final String NODES_PATH = "/api/v1/nodes?fieldSelector=metadata.name%3Dbench";
    private static final String PROGRAMS_PATH = "/apis/" + SigilApi.API_VERSION + "/signedbpfprograms";
    private static final int LISTS = 200;

    private HttpClientFootprint() {
    }

    public static void main(String[] args) throws Exception {
        var options = BenchOptions.parse(args);
        if (options.containsKey("--write-programs-list")) {
            Fabric8.writeProgramsList(Path.of(options.get("--write-programs-list")),
                    Path.of(BenchOptions.required(options, "--skeleton")),
                    Integer.parseInt(BenchOptions.required(options, "--programs")));
            return;
        }
        String label = BenchOptions.required(options, "--label");
        String client = BenchOptions.required(options, "--client");
        byte[] programsList = options.containsKey("--programs-list")
                ? Files.readAllBytes(Path.of(options.get("--programs-list"))) : EMPTY_LIST;
        CountDownLatch stop = new CountDownLatch(1);
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        api.createContext("/", exchange -> answer(exchange, programsList, stop));
        api.start();
        try {
            long rssBefore = settledRssKib();
            int threadsBefore = Thread.activeCount();
            String url = "http://127.0.0.1:" + api.getAddress().getPort();
            try (AutoCloseable informing = client.equals("lean") ? Lean.inform(url) : Fabric8.inform(url, client)) {
                long rssAfter = settledRssKib();
                stop.countDown();
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | +%.1f | %d → %d |%n", label, rssBefore / 1024.0,
                        rssAfter / 1024.0, (rssAfter - rssBefore) / 1024.0, threadsBefore, Thread.activeCount());
            }
        } finally {
            stop.countDown();
            api.stop(0);
        }
    }

    /** Classes of their own, so that loading this class loads neither client before the baseline is taken. */
    private static final class Fabric8 {
        private static final ResourceDefinitionContext NODES = new ResourceDefinitionContext.Builder().withGroup("")
                .withVersion("v1").withKind("Node").withPlural("nodes").withNamespaced(false).build();

        static AutoCloseable inform(String url, String factoryClass) throws Exception {
            HttpClient.Factory factory = (HttpClient.Factory) Class.forName(factoryClass).getDeclaredConstructor()
                    .newInstance();
            KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder().withMasterUrl(url).withNamespace("default").withOnlyHttpWatches(true)
                            .build())
                    .withHttpClientFactory(factory)
                    .withKubernetesSerialization(new KubernetesSerialization(new ObjectMapper(), false))
                    .build();
            var ownNode = client.genericKubernetesResources(NODES).withField("metadata.name", "bench");
            var nodes = ownNode.inform();
            var programs = client.resources(SignedBpfProgram.class).inform();
            for (int i = 0; i < LISTS; i++) {
                ownNode.list();
            }
            return () -> {
                nodes.close();
                programs.close();
                client.close();
            };
        }

        static void writeProgramsList(Path file, Path skeleton, int count) throws Exception {
            BenchPrograms programs = BenchPrograms.sign(skeleton);
            List<SignedBpfProgram> items = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                SignedBpfProgram program = programs.resource("footprint-" + i);
                program.getMetadata().setUid("uid-" + i);
                program.getMetadata().setResourceVersion("1");
                items.add(program);
            }
            Files.writeString(file, new KubernetesSerialization().asJson(Map.of("apiVersion", SigilApi.API_VERSION,
                    "kind", "SignedBpfProgramList", "metadata", Map.of("resourceVersion", "1"), "items", items)));
        }
    }

    private static final class Lean {
        static AutoCloseable inform(String url) throws Exception {
            Yaml json = json();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            List<Object> cache = Collections.synchronizedList(new ArrayList<>());
            List<Thread> watches = new ArrayList<>();
            for (String path : List.of(PROGRAMS_PATH, NODES_PATH)) {
                cache.addAll(items(json, http, url + path));
                String watch = url + path + (path.contains("?") ? "&" : "?") + "watch=true&allowWatchBookmarks=true";
                HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(URI.create(watch)).build(),
                        HttpResponse.BodyHandlers.ofLines());
                Yaml eventReader = json();
                Thread reader = Thread.ofPlatform().daemon().name("watch " + path).start(() ->
                        events.body().forEach(line -> cache.add(eventReader.load(line))));
                watches.add(reader);
            }
            for (int i = 0; i < LISTS; i++) {
                items(json, http, url + NODES_PATH);
            }
            return () -> {
                http.shutdownNow();
                for (Thread watch : watches) {
                    watch.join(5_000);
                }
                System.err.println("lean client cached " + cache.size() + " objects");
            };
        }

        /** One per thread: a SnakeYAML reader is not thread-safe. */
        private static Yaml json() {
            LoaderOptions limits = new LoaderOptions();
            limits.setCodePointLimit(64 * 1024 * 1024);
            return new Yaml(new SafeConstructor(limits));
        }

        private static List<?> items(Yaml json, java.net.http.HttpClient http, String url) throws Exception {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Map<?, ?> list = json.load(new String(response.body(), StandardCharsets.UTF_8));
            return (List<?>) list.get("items");
        }
    }

    private static byte[] list(String kind, String items) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":["
                + items + "]}").getBytes(StandardCharsets.UTF_8);
    }

    /** A list for a list call; a watch is held open (headers and a bookmark sent) until the run ends. */
    private static void answer(HttpExchange exchange, byte[] programsList, CountDownLatch stop) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null && query.contains("watch=true")) {
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
        String path = exchange.getRequestURI().getPath();
        byte[] body = path.endsWith("/signedbpfprograms") ? programsList : path.endsWith("/nodes") ? NODE_LIST
                : EMPTY_LIST;
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static long settledRssKib() throws IOException, InterruptedException {
        System.gc();
        Thread.sleep(200);
        return ProcessMemory.rssKib();
    }
}
