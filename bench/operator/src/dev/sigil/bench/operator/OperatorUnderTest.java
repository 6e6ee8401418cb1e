package dev.sigil.bench.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import dev.sigil.operator.OperatorConfig;
import dev.sigil.operator.SigilOperator;
import dev.sigil.operator.http.HttpEndpoints.Response;
import dev.sigil.operator.http.HttpEndpoints;
import dev.sigil.operator.trust.ObjectRef;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The operator process of the benchmark: the real {@link SigilOperator}, configured as {@code
 * sigil-operator} configures it, against the given API server. Besides the operator's own endpoints it
 * answers {@code /stats} (CPU by thread group, heap, GC, the operator's API requests by verb, JOSDK's
 * reconcile counters) and {@code /gc} (a full GC, then the live heap), which the driver reads.
 *
 * <pre>OperatorUnderTest --master URL --port N --namespace NS --trust NS/NAME [--config FILE]</pre>
 */
public final class OperatorUnderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, LongAdder> REQUESTS = new ConcurrentHashMap<>();
    private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();
    /** Thread id to its group and its CPU time when last read. */
    private static final Map<Long, Map.Entry<String, Long>> THREAD_CPU = new ConcurrentHashMap<>();

    private OperatorUnderTest() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        String namespace = options.getOrDefault("--namespace", "sigil-system");
        OperatorConfig config = OperatorConfig.resolve(namespace, ObjectRef.parse(options.get("--trust")),
                Optional.ofNullable(options.get("--config")).map(Path::of), false);
        Config clientConfig = new ConfigBuilder(Config.empty())
                .withMasterUrl(options.get("--master"))
                .withTrustCerts(true)
                .withRequestTimeout(60_000)
                // The mock's HTTP/2 (cleartext) garbles concurrent large responses ("Frame type(34) length(2962487)
                // exceeds MAX_FRAME_SIZE"); a real API server does not, but here the operator speaks HTTP/1.1.
                .withHttp2Disable(true)
                .build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("bench-requests", new Interceptor() {
                    @Override
                    public void before(BasicBuilder request, HttpRequest original, RequestTags tags) {
                        REQUESTS.computeIfAbsent(verb(original), verb -> new LongAdder()).increment();
                    }
                }))
                .build();
        watchGarbageCollections();
        Thread.ofPlatform().daemon().name("bench-thread-cpu").start(() -> {
            while (true) {
                threadCpuByGroup();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SigilOperator operator = SigilOperator.create(client, config, Optional.empty(), registry, Clock.systemUTC());
        Map<String, java.util.function.Supplier<Response>> routes = new LinkedHashMap<>();
        routes.put("/stats", () -> json(stats(registry)));
        routes.put("/gc", () -> {
            System.gc();
            return json(Map.of("heapUsedBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
        });
        routes.put("/readyz", () -> Response.text(operator.isReady(), operator.isReady() ? "ok\n" : "not ready\n"));
        routes.put("/metrics", () -> new Response(200, "text/plain", registry.scrape()));
        HttpEndpoints endpoints = HttpEndpoints.serve(
                new InetSocketAddress("127.0.0.1", Integer.parseInt(options.get("--port"))), routes);
        try {
            operator.start();
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.err.println("OperatorUnderTest: the operator did not start: " + e.getMessage());
            Runtime.getRuntime().halt(1);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            endpoints.close();
            client.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** LIST and WATCH told apart from GET, as the API server's own request metrics do. */
    private static String verb(HttpRequest request) {
        String query = request.uri().getRawQuery();
        if (query != null && query.contains("watch=true")) {
            return "WATCH";
        }
        if ("GET".equals(request.method()) && !namesOneObject(request.uri().getPath())) {
            return "LIST";
        }
        return request.method();
    }

    /** Collection paths end in a plural resource; Sigil's and core paths alternate kind/name. */
    private static boolean namesOneObject(String path) {
        String[] parts = path.replaceAll("^/|/$", "").split("/");
        int afterVersion = parts[0].equals("api") ? 2 : 3;
        int remaining = parts.length - afterVersion;
        if (remaining >= 2 && parts[afterVersion].equals("namespaces")) {
            remaining -= 2;
        }
        return remaining >= 2;
    }

    private static Map<String, Object> stats(PrometheusMeterRegistry registry) {
        Map<String, Object> stats = new LinkedHashMap<>();
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        stats.put("processCpuNanos", os.getProcessCpuTime());
        stats.put("threadCpuNanos", threadCpuByGroup());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        stats.put("heapUsedBytes", heap.getUsed());
        stats.put("heapCommittedBytes", heap.getCommitted());
        stats.put("heapMaxBytes", heap.getMax());
        stats.put("peakHeapAfterGcBytes", PEAK_AFTER_GC.get());
        long gcCount = 0;
        long gcMillis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += gc.getCollectionCount();
            gcMillis += gc.getCollectionTime();
        }
        stats.put("gcCount", gcCount);
        stats.put("gcMillis", gcMillis);
        Map<String, Long> requests = new TreeMap<>();
        REQUESTS.forEach((verb, count) -> requests.put(verb, count.sum()));
        stats.put("requests", requests);
        stats.put("reconciles", counters(registry, "operator.sdk.reconciliations.started"));
        stats.put("events", counters(registry, "operator.sdk.events.received"));
        return stats;
    }

    /** JOSDK's counters by the kind of resource reconciled (one controller per kind here). */
    private static Map<String, Double> counters(PrometheusMeterRegistry registry, String name) {
        Map<String, Double> byKind = new TreeMap<>();
        for (Counter counter : registry.find(name).counters()) {
            String kind = counter.getId().getTags().stream()
                    .filter(tag -> tag.getKey().endsWith("kind"))
                    .map(io.micrometer.core.instrument.Tag::getValue)
                    .findFirst().orElse("other");
            byKind.merge(kind, counter.count(), Double::sum);
        }
        return byKind;
    }

    /**
     * JOSDK runs reconciles (and their workflows) on plain executor threads ({@code pool-*}); Fabric8's JDK
     * HTTP client and informers have their own names. JVM threads (GC, JIT) are the process total minus these.
     * Executor threads come and go: each thread's last reading is kept (and refreshed every second), so a thread
     * that ended still counts what it used.
     */
    private static synchronized Map<String, Long> threadCpuByGroup() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && cpu[i] >= 0) {
                THREAD_CPU.put(ids[i], Map.entry(group(infos[i].getThreadName()), cpu[i]));
            }
        }
        Map<String, Long> groups = new TreeMap<>();
        THREAD_CPU.values().forEach(reading -> groups.merge(reading.getKey(), reading.getValue(), Long::sum));
        return groups;
    }

    private static String group(String thread) {
        if (thread.startsWith("pool-") || thread.startsWith("ReconcilerExecutor")) {
            return "reconcilers";
        }
        if (thread.startsWith("HttpClient")) {
            return "http";
        }
        if (thread.contains("nformer") || thread.contains("-watch") || thread.startsWith("ForkJoinPool")) {
            return "informers";
        }
        return "other";
    }

    private static void watchGarbageCollections() {
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(pool -> isHeap(pool.getKey()))
                        .mapToLong(pool -> pool.getValue().getUsed())
                        .sum();
                PEAK_AFTER_GC.accumulateAndGet(used, Math::max);
            }, notification -> notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION),
                    null);
        }
    }

    private static boolean isHeap(String pool) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(bean -> bean.getName().equals(pool) && bean.getType() == java.lang.management.MemoryType.HEAP);
    }

    private static Response json(Object value) {
        try {
            return new Response(200, "application/json", JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
