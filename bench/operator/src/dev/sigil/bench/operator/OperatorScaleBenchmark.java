package dev.sigil.bench.operator;

import dev.sigil.crds.SigilApi;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.operator.TestPrograms;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Drives the real operator (in its own JVM, {@link OperatorUnderTest}) with many SignedBpfPrograms and
 * simulated nodes whose agents ({@link FakeAgents}) report through BpfNodeStates, against the shared mock
 * API server fixture in this JVM, and measures how long every program's status takes to converge after
 * (a) the operator starts, (b) one program changes, (c) a tenth of the nodes flap, plus what heartbeats
 * cost; with the operator's heap, CPU and API requests. Not a test: {@code bench/operator-scale.sh} runs it.
 */
public final class OperatorScaleBenchmark {
    static final String NAMESPACE = "sigil-system";
    static final String TRUST = "sigil-trust";

    private final Workload workload;
    private final KubernetesClient client;
    private final FakeAgents agents;
    private final Report report;
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final Map<String, String> loaderHashes = new ConcurrentHashMap<>();
    private final SigningKey signer = TestPrograms.newSigner("bench-release");

    private OperatorScaleBenchmark(Workload workload, KubernetesClient client, int writers, Report report) {
        this.workload = workload;
        this.client = client;
        this.agents = new FakeAgents(client, workload, writers);
        this.report = report;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        Workload workload = new Workload(integer(options, "--programs", 1000), integer(options, "--nodes", 5000),
                integer(options, "--pools", 50), integer(options, "--cluster-wide", 5));
        Path out = Path.of(options.getOrDefault("--out", "bench/target/operator-scale"));
        Files.createDirectories(out);
        List<String> jvmFlags = List.of(options.getOrDefault("--operator-jvm",
                "-XX:+UseParallelGC -XX:ParallelGCThreads=2 -Xmx512m -Xss512k -XX:ReservedCodeCacheSize=48m"
                + " -XX:+ExitOnOutOfMemoryError")
                .trim().split("\\s+"));
        Duration timeout = Duration.ofSeconds(integer(options, "--timeout-seconds", 600));
        double flapping = Double.parseDouble(options.getOrDefault("--flapping", "0.10"));
        int flapRounds = integer(options, "--flap-rounds", 3);
        boolean startOnly = switch (options.getOrDefault("--phases", "all")) {
            case "all" -> false;
            case "start" -> true;
            default -> throw new IllegalArgumentException("--phases is all or start");
        };

        try (MockApiServer api = MockApiServer.start()) {
            api.createNamespace(NAMESPACE);
            Report report = new Report(workload, jvmFlags);
            OperatorScaleBenchmark bench = new OperatorScaleBenchmark(workload, api.client(), integer(options, "--writers", 4), report);
            try (bench.agents; ProgramWatch watch = new ProgramWatch(api.client())) {
                bench.populate();
                Path config = out.resolve("operator-config.yaml");
                Files.writeString(config, "agent:\n  image: registry.example/sigil:bench\n");
                long launched = System.nanoTime();
                try (OperatorProcess operator = OperatorProcess.launch(api.client().getMasterUrl().toString(),
                        NAMESPACE + "/" + TRUST, jvmFlags, config,
                        Path.of(options.get("--operator-logback")), out.resolve("operator.log"))) {
                    report.operatorStarted(operator);
                    bench.measure(operator, watch, launched, timeout, flapping, flapRounds, startOnly);
                    report.heap(operator.stats(), operator.liveHeapBytes());
                    report.finished();
                }
            }
            report.print(System.out);
            Files.writeString(out.resolve("results.txt"), report.toString());
        }
    }

    private void populate() throws InterruptedException {
        long start = System.nanoTime();
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(TRUST).withNamespace(NAMESPACE).endMetadata()
                .addToData("release.pem", SignedFixtures.pem(signer.certificate()))
                .build()).create();
        Map<String, Node> nodes = new ConcurrentHashMap<>();
        IntStream.range(0, workload.nodes()).parallel().forEach(node -> nodes.put(workload.node(node),
                createNode(node)));
        IntStream.range(0, workload.programs()).parallel().forEach(program -> {
            SignedBundle bundle = TestPrograms.sign(signer);
            String name = workload.program(program);
            client.resource(TestPrograms.program(name, bundle, workload.clusterWide(program)
                    ? Map.of() : Map.of(Workload.POOL_LABEL, workload.pool(workload.poolOfProgram(program))))).create();
            generations.put(name, 1L);
            loaderHashes.put(name, bundle.loaderHash());
        });
        agents.createNodeStates(nodes);
        for (int node = 0; node < workload.nodes(); node++) {
            for (int program : workload.programsOn(node)) {
                String name = workload.program(program);
                agents.set(node, FakeAgents.attached(name, 1, loaderHashes.get(name), node));
            }
        }
        agents.write(agents.allNodes());
        report.populated(Duration.ofNanos(System.nanoTime() - start), agents.writes(), agents.meanWriteMillis());
        long listStart = System.nanoTime();
        var states = client.resources(BpfNodeState.class).list();
        report.listed(states.getItems().size(), Serialization.asJson(states).length(),
                Duration.ofNanos(System.nanoTime() - listStart));
    }

    private Node createNode(int node) {
        return client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata()
                .withName(workload.node(node))
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels(Workload.POOL_LABEL, workload.pool(workload.poolOfNode(node)))
                // The agents run (they report): the operator labelled these nodes before it restarted.
                .addToLabels(SigilApi.AGENT_NODE_LABEL, "true")
                .endMetadata().build()).create();
    }

    private void measure(OperatorProcess operator, ProgramWatch watch, long launched, Duration timeout,
            double flapping, int flapRounds, boolean startOnly) throws Exception {
        Set<String> all = IntStream.range(0, workload.programs()).mapToObj(workload::program)
                .collect(Collectors.toCollection(TreeSet::new));

        Report.Phase start = report.begin("(a) operator start → every program converged", operator);
        start.done(watch.await(all, converged(), launched, timeout), operator);
        if (startOnly) {
            return;
        }

        Report.Phase heartbeats = report.begin("heartbeats: every node rewrites its report, only lastUpdateTime moves",
                operator);
        long heartbeatStart = System.nanoTime();
        agents.write(agents.allNodes());
        Duration written = Duration.ofNanos(System.nanoTime() - heartbeatStart);
        Thread.sleep(3000); // let the operator drain what the writes queued before reading its counters
        heartbeats.done(written, operator);

        changeOne(operator, watch, workload.clusterWide(), "(b) one program (one pool)", timeout);
        changeOne(operator, watch, 0, "(b) one cluster-wide program", timeout);

        List<Integer> flappers = IntStream.range(0, workload.nodes())
                .filter(node -> node % Math.round(1 / flapping) == 0).boxed().toList();
        Report.Phase flaps = report.begin("(c) " + flappers.size() + " nodes flap " + flapRounds
                + "× (all Failed, then Attached) → converged after the last flap", operator);
        long flapStart = System.nanoTime();
        for (int round = 0; round < flapRounds; round++) {
            setAll(flappers, true);
            agents.write(flappers);
            setAll(flappers, false);
            agents.write(flappers);
        }
        long lastFlap = System.nanoTime();
        Duration settle = watch.await(all, converged(), lastFlap, timeout);
        flaps.note("flapping took " + Report.seconds(Duration.ofNanos(lastFlap - flapStart)) + " of agent writes");
        flaps.done(settle, operator);
    }

    private void changeOne(OperatorProcess operator, ProgramWatch watch, int program, String label, Duration timeout)
            throws Exception {
        String name = workload.program(program);
        SignedBundle bundle = TestPrograms.sign(signer);
        long generation = generations.get(name) + 1;
        Report.Phase reflected = report.begin(label + " → its status shows the new generation", operator);
        long changed = System.nanoTime();
        client.resources(SignedBpfProgram.class).withName(name).edit(current -> {
            current.getSpec().setLoader(bundle.loaderBase64());
            current.getSpec().setMetadata(bundle.metadataBase64());
            current.getSpec().setHash(bundle.hash());
            current.getSpec().setSignature(bundle.signatureBase64());
            return current;
        });
        generations.put(name, generation);
        loaderHashes.put(name, bundle.loaderHash());
        List<Integer> nodes = workload.nodesOf(program);
        Thread agentsReport = Thread.ofPlatform().start(() -> {
            nodes.forEach(node -> agents.set(node, FakeAgents.attached(name, generation, bundle.loaderHash(), node)));
            agents.write(nodes);
        });
        reflected.done(watch.await(Set.of(name), p -> Objects.equals(observedGeneration(p), generation), changed, timeout),
                operator);
        Report.Phase converged = report.begin(label + " → its " + nodes.size() + " nodes report it, converged",
                operator);
        Duration settled = watch.await(Set.of(name), converged(), changed, timeout);
        agentsReport.join();
        converged.done(settled, operator);
    }

    private void setAll(List<Integer> nodes, boolean failed) {
        for (int node : nodes) {
            for (int program : workload.programsOn(node)) {
                String name = workload.program(program);
                agents.set(node, failed
                        ? FakeAgents.failed(name, generations.get(name), loaderHashes.get(name))
                        : FakeAgents.attached(name, generations.get(name), loaderHashes.get(name), node));
            }
        }
    }

    private Predicate<SignedBpfProgram> converged() {
        Map<String, Integer> targets = new HashMap<>();
        IntStream.range(0, workload.programs()).forEach(p -> targets.put(workload.program(p), workload.targets(p)));
        return program -> {
            SignedBpfProgramStatus status = program.getStatus();
            String name = program.getMetadata().getName();
            return status != null
                    && Objects.equals(status.getObservedGeneration(), generations.get(name))
                    && Objects.equals(status.getTargetedNodes(), targets.get(name))
                    && Objects.equals(status.getAttachedNodes(), targets.get(name))
                    && Objects.equals(status.getFailedNodes(), 0)
                    && status.getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        };
    }

    private static Long observedGeneration(SignedBpfProgram program) {
        return program.getStatus() == null ? null : program.getStatus().getObservedGeneration();
    }

    static long driverCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static int integer(Map<String, String> options, String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }
}
