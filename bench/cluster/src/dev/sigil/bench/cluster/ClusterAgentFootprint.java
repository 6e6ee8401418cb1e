package dev.sigil.bench.cluster;

import dev.sigil.api.SpecIntents;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.signing.BundleSigner;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The cluster agent's footprint (not a test): a real {@code bin/sigil agent cluster} process (the launcher's flags,
 * plus each flag set's own through {@code SIGIL_JAVA_OPTS}) against the strict mock API server in this JVM, over TLS
 * to {@code 127.0.0.1}, with the server's certificate, which names that address, as the agent's CA ({@code --api
 * http}: plain HTTP), with PROGRAMS SignedBpfPrograms selecting its Node, every one attached on this kernel. The objects are
 * the size a real cluster gives them ({@link RealisticObjects}): the Node as a kubelet keeps it, PODS pods running
 * on it (none of them targeted), the programs as client-side {@code kubectl apply} leaves them. For each flag
 * set, one fresh agent: RSS with no program (the client and its informers only), then the programs created and
 * RSS, fds and threads 10 s after the last one is reported Attached in the node's BpfNodeState; then, for
 * {@code --soak-seconds}, RSS and fds sampled every 30 s while the agent ticks, resyncs (every program re-applied
 * every minute) and writes its heartbeat, and the kernel's high-water mark of its RSS since it started (what a
 * container limit must hold, JIT compilations' moments included); then, through {@code jcmd}, the classes loaded,
 * the live heap after a full collection, the agent's CPU time (to attached, and per minute of the soak) and, with
 * {@code -XX:NativeMemoryTracking=summary} in the set, NMT's summary and its change over the soak (written to
 * {@code OUT/nmt-N.txt} and {@code OUT/nmt-soak-diff-N.txt}). Then the programs are deleted, the agent unloads
 * them, SIGTERM stops it and its pin root must be empty. Prints one Markdown row per flag set.
 *
 * <pre>ClusterAgentFootprint --sigil bin/sigil --skeleton X.lskel.h --pin-root DIR --out DIR --programs N
 *     --flag-sets "label=flags;label=flags" [--soak-seconds S] [--pods PODS (30)] [--api tls|http]</pre>
 */
public final class ClusterAgentFootprint {
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final int NODE_IMAGES = 40;
    private static final Duration SOAK_SAMPLE = Duration.ofSeconds(30);
    private static final Duration ATTACH_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ENVIRONMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\\S*)\\s*");
    private static final Pattern CLASSES = Pattern.compile("Total Usage - [\\d,]+ loaders, ([\\d,]+) classes(?: \\(([\\d,]+) shared\\))?");
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\s*(?:DefNew|Tenured|garbage-first heap|def new generation|tenured generation)\\s+total \\d+K, used (\\d+)K");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern NMT_CATEGORY = Pattern.compile("(?m)^-\\s+([A-Za-z ]+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    private final Path sigil;
    private final Path pinRoot;
    private final Path out;
    private final int programs;
    private final Duration soak;
    private final MockApiServer api;
    private final List<SignedBpfProgram> resources;
    private final Path trust;
    private final String masterUrl;
    private final Optional<Path> serverCertificate;
    private final String node = "footprint-node";
    private final int pods;

    private ClusterAgentFootprint(Map<String, String> options, MockApiServer api) throws Exception {
        this.sigil = Path.of(required(options, "--sigil"));
        this.pinRoot = Path.of(required(options, "--pin-root"));
        this.out = Files.createDirectories(Path.of(required(options, "--out")));
        this.programs = Integer.parseInt(options.getOrDefault("--programs", "50"));
        this.soak = Duration.ofSeconds(Long.parseLong(options.getOrDefault("--soak-seconds", "0")));
        this.api = api;
        SigningKey key = SigningKeys.generate(KeySpec.ec("P-256"), "CN=Sigil cluster footprint bench", Duration.ofDays(1),
                Optional.empty());
        Path keys = Files.createDirectories(out.resolve("trust"));
        SigningKeys.write(key, keys);
        Files.delete(keys.resolve("key.pem"));
        this.trust = keys;
        LightSkeleton skeleton = LightSkeleton.parse(Path.of(required(options, "--skeleton")));
        SignedBundle bundle = BundleSigner.sign(skeleton, key);
        this.resources = new ArrayList<>();
        for (int i = 0; i < programs; i++) {
            resources.add(resource("footprint-" + i, skeleton, bundle, key));
        }
        KubernetesClient client = api.client();
        client.nodes().resource(RealisticObjects.node(node, Map.of("kubernetes.io/os", "linux", "kubernetes.io/hostname", node),
                NODE_IMAGES)).create();
        this.pods = Integer.parseInt(options.getOrDefault("--pods", "30"));
        IntStream.range(0, Math.min(pods, 5)).forEach(i -> api.createNamespace(RealisticObjects.namespace(i)));
        IntStream.range(0, pods).forEach(i -> client.pods().resource(RealisticObjects.pod(i, node)).create());
        this.masterUrl = api.client().getMasterUrl().toString();
        this.serverCertificate = masterUrl.startsWith("https:") ? Optional.of(api.writeCertificate(out.resolve("api-server.crt")))
                : Optional.empty();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        // As in a cluster, the agent speaks TLS (and HTTP/2 where offered) to the API server at an IP address its
        // certificate names, trusting its CA; plain HTTP spares the TLS stack's classes and buffers, for comparing with
        // rows measured before the bench spoke TLS.
        boolean plainHttp = switch (options.getOrDefault("--api", "tls")) {
            case "tls" -> false;
            case "http" -> true;
            default -> throw new IllegalArgumentException("--api is tls or http, not " + options.get("--api"));
        };
        try (MockApiServer api = plainHttp ? MockApiServer.start() : MockApiServer.startWithTls()) {
            ClusterAgentFootprint bench = new ClusterAgentFootprint(options, api);
            System.out.printf(Locale.ROOT, "%n%d pods on the node, the API server over %s%n%n| cluster agent, JVM flags (after the launcher's) | RSS, no program (MiB) | RSS, %d programs: anon + file (MiB) "
                    + "| fds | threads | soak: RSS start → end (max) (MiB) | peak RSS since start (MiB) | fds | classes (shared) "
                    + "| live heap (MiB) | CPU, start → attached (s) | CPU in the soak (ms/min) | NMT committed (MiB) |%n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|%n", bench.pods,
                    plainHttp ? "plain HTTP" : "TLS", bench.programs);
            int index = 0;
            for (String set : required(options, "--flag-sets").split(";")) {
                int equals = set.indexOf('=');
                bench.run(++index, set.substring(0, equals).trim(), set.substring(equals + 1).trim());
            }
        }
    }

    private void run(int index, String label, String flags) throws Exception {
        Path log = out.resolve("agent-" + index + ".log");
        ProcessBuilder builder = new ProcessBuilder(sigil.toString(), "agent", "cluster", "--trust", trust.toString(),
                "--node", node, "--pin-root", pinRoot.toString(), "--health-port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // As in a pod, no kubeconfig is parsed (Fabric8 reads one through a serialization of its own, which loads every
        // model class); the agent trusts the server's certificate as a pod trusts its service account's ca.crt. The mock
        // takes no token.
        builder.environment().put("KUBERNETES_MASTER", masterUrl);
        serverCertificate.ifPresent(certificate -> builder.environment().put("KUBERNETES_CERTS_CA_FILE", certificate.toString()));
        builder.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        builder.environment().put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        builder.environment().put("KUBERNETES_NAMESPACE", "default");
        Matcher assignment = ENVIRONMENT.matcher(flags);
        while (assignment.lookingAt()) {
            builder.environment().put(assignment.group(1), assignment.group(2));
            flags = flags.substring(assignment.end());
            assignment = ENVIRONMENT.matcher(flags);
        }
        builder.environment().put("SIGIL_JAVA_OPTS", flags);
        Process agent = builder.start();
        KubernetesClient client = api.client();
        try {
            await("the agent's first BpfNodeState", agent, log, () -> nodeState(client).isPresent());
            Thread.sleep(SETTLE.toMillis());
            long idleRss = Proc.rssKib(agent.pid());
            Instant created = Instant.now();
            resources.forEach(resource -> client.resource(resource).create());
            await(programs + " programs Attached", agent, log, () -> attached(client) == programs);
            Duration attaching = Duration.between(created, Instant.now());
            Duration cpuToAttached = cpu(agent);
            Thread.sleep(SETTLE.toMillis());
            long rss = Proc.rssKib(agent.pid());
            String rssParts = Proc.rssParts(agent.pid());
            long fds = Proc.fds(agent.pid());
            long threads = Proc.threads(agent.pid());
            long soakEndRss = rss;
            long soakMaxRss = rss;
            long soakEndFds = fds;
            Duration soakStartCpu = cpu(agent);
            // With NMT on, what grows over the soak: a baseline now, the difference at the end.
            boolean nmtBaseline = Jcmd.run(agent.pid(), "VM.native_memory", "baseline").contains("Baseline taken");
            Instant soakStart = Instant.now();
            Instant soakEnd = soakStart.plus(soak);
            while (Instant.now().isBefore(soakEnd)) {
                Thread.sleep(Math.min(SOAK_SAMPLE.toMillis(), Math.max(1, Duration.between(Instant.now(), soakEnd).toMillis())));
                requireAlive(agent, log);
                soakEndRss = Proc.rssKib(agent.pid());
                soakMaxRss = Math.max(soakMaxRss, soakEndRss);
                soakEndFds = Proc.fds(agent.pid());
                System.err.printf(Locale.ROOT, "bench: %s: soak RSS %.1f MiB, fds %d%n", label, mib(soakEndRss), soakEndFds);
            }
            double soakCpuMillisPerMinute = cpu(agent).minus(soakStartCpu).toNanos() / 1e6
                    / Math.max(1, Duration.between(soakStart, Instant.now()).toMillis()) * 60_000;
            long peakRss = Proc.peakRssKib(agent.pid());
            Matcher classes = CLASSES.matcher(Jcmd.run(agent.pid(), "VM.metaspace"));
            String nmt = Jcmd.run(agent.pid(), "VM.native_memory", "summary", "scale=KB");
            Jcmd.run(agent.pid(), "GC.run");
            long liveHeapKib = HEAP_USED.matcher(Jcmd.run(agent.pid(), "GC.heap_info")).results()
                    .mapToLong(result -> Long.parseLong(result.group(1))).sum();
            Matcher nmtTotal = NMT_TOTAL.matcher(nmt);
            String nmtColumn = "–";
            if (nmtTotal.find()) {
                Path nmtFile = out.resolve("nmt-" + index + ".txt");
                Files.writeString(nmtFile, nmt);
                if (nmtBaseline) {
                    Files.writeString(out.resolve("nmt-soak-diff-" + index + ".txt"),
                            Jcmd.run(agent.pid(), "VM.native_memory", "summary.diff", "scale=KB"));
                }
                StringBuilder categories = new StringBuilder();
                NMT_CATEGORY.matcher(nmt).results()
                        .filter(category -> Long.parseLong(category.group(2)) >= 1024)
                        .forEach(category -> categories.append(String.format(Locale.ROOT, "%s%s %.1f",
                                categories.isEmpty() ? "" : ", ", category.group(1), Long.parseLong(category.group(2)) / 1024.0)));
                nmtColumn = String.format(Locale.ROOT, "%.1f (%s)", Long.parseLong(nmtTotal.group(1)) / 1024.0, categories);
                System.err.printf("bench: %s: NMT summary in %s%s%n", label, nmtFile,
                        nmtBaseline ? ", its change over the soak in nmt-soak-diff-" + index + ".txt" : "");
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | **%.1f** (%s) | %d | %d | %s | %.1f | %s | %s | %.1f | %.2f | %s | %s |%n", label, mib(idleRss),
                    mib(rss), rssParts, fds, threads,
                    soak.isZero() ? "–" : String.format(Locale.ROOT, "%.1f → %.1f (%.1f)", mib(rss), mib(soakEndRss), mib(soakMaxRss)),
                    mib(peakRss),
                    soak.isZero() ? "–" : fds + " → " + soakEndFds,
                    !classes.find() ? "?" : classes.group(2) == null ? classes.group(1) : classes.group(1) + " (" + classes.group(2) + ")",
                    mib(liveHeapKib), cpuToAttached.toMillis() / 1000.0,
                    soak.isZero() ? "–" : String.format(Locale.ROOT, "%.0f", soakCpuMillisPerMinute), nmtColumn);
            System.err.printf(Locale.ROOT, "bench: %s: %d programs attached %.1f s after they were created%n", label, programs,
                    attaching.toMillis() / 1000.0);
        } finally {
            stop(agent, log);
        }
    }

    /**
     * Deletes the programs (the agent unloads them), then SIGTERM. An agent that does not unload them in time is
     * reported and stopped, and what it left pinned is unloaded here, so that the next flag set starts clean.
     */
    private void stop(Process agent, Path log) throws Exception {
        KubernetesClient client = api.client();
        resources.forEach(resource -> client.resources(SignedBpfProgram.class).withName(resource.getMetadata().getName()).delete());
        if (agent.isAlive()) {
            try {
                await("every program unloaded", agent, log, () -> nodeState(client).map(state -> reported(state).isEmpty()).orElse(true));
            } catch (IllegalStateException e) {
                System.err.println("bench: AGENT FAULT: " + e.getMessage());
            } finally {
                agent.destroy();
                if (!agent.waitFor(STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    agent.destroyForcibly().waitFor();
                }
            }
        }
        List<String> pinned = pinned();
        if (!pinned.isEmpty()) {
            System.err.println("bench: the agent left " + pinned + " pinned under " + pinRoot + "; unloading them");
            List<String> unload = new ArrayList<>(List.of(sigil.toString(), "agent", "unload", "--pin-root", pinRoot.toString()));
            unload.addAll(pinned);
            Process unloading = new ProcessBuilder(unload).redirectErrorStream(true).redirectOutput(out.resolve("unload.log").toFile()).start();
            if (unloading.waitFor() != 0 || !pinned().isEmpty()) {
                throw new IllegalStateException("could not unload " + pinned() + "; see " + out.resolve("unload.log"));
            }
        }
    }

    private List<String> pinned() throws IOException {
        if (!Files.isDirectory(pinRoot)) {
            return List.of();
        }
        try (Stream<Path> left = Files.list(pinRoot)) {
            return left.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private Optional<BpfNodeState> nodeState(KubernetesClient client) {
        return Optional.ofNullable(client.resources(BpfNodeState.class).withName(node).get());
    }

    private long attached(KubernetesClient client) {
        return nodeState(client).map(ClusterAgentFootprint::reported).orElse(List.of()).stream()
                .filter(program -> program.getPhase() == ProgramPhase.Attached).count();
    }

    private static List<NodeProgramState> reported(BpfNodeState state) {
        return state.getStatus() == null || state.getStatus().getPrograms() == null ? List.of() : state.getStatus().getPrograms();
    }

    /** The example's programs on the sys_enter raw tracepoint, on this bench's node, their attach points bound by intent. */
    private SignedBpfProgram resource(String name, LightSkeleton skeleton, SignedBundle bundle, SigningKey key) throws Exception {
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setLoader(bundle.loaderBase64());
        spec.setMetadata(bundle.metadataBase64());
        spec.setHash(bundle.hash());
        spec.setSignature(bundle.signatureBase64());
        spec.setPrograms(new ArrayList<>(skeleton.programNames().stream()
                .map(program -> new ProgramSpec(program, AttachSpec.rawTracepoint("sys_enter"))).toList()));
        spec.setMaps(new ArrayList<>(skeleton.mapNames().stream().map(MapSpec::new).toList()));
        spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("kubernetes.io/hostname", node)).build());
        SpecIntents.bindExactly(spec, bundle, key);
        SignedBpfProgram program = new SignedBpfProgram();
        program.setMetadata(new ObjectMetaBuilder().withName(name).build());
        program.setSpec(spec);
        return RealisticObjects.appliedWithKubectl(program);
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Process agent, Path log, Condition condition) throws Exception {
        Instant deadline = Instant.now().plus(ATTACH_TIMEOUT);
        while (!condition.holds()) {
            requireAlive(agent, log);
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out waiting for " + what + "; agent log: " + log);
            }
            Thread.sleep(250);
        }
    }

    private static void requireAlive(Process agent, Path log) throws IOException {
        if (!agent.isAlive()) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException("the agent stopped (exit " + agent.exitValue() + "):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }

    /** The agent's CPU time so far, user and system, as the kernel counts it. */
    private static Duration cpu(Process agent) {
        return agent.toHandle().info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for the agent"));
    }

    private static double mib(long kib) {
        return kib / 1024.0;
    }

    private static Map<String, String> parse(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in --name value pairs");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    /** Another process's resident set, fds and threads as the kernel counts them. */
    private static final class Proc {
        static long rssKib(long pid) throws IOException {
            return status(pid, "VmRSS:");
        }

        /**
         * The kernel's high-water mark of the resident set over the process's life (VmHWM): what a container's memory
         * limit must leave room for, including a moment between two samples (a JIT compilation's arena, say).
         */
        static long peakRssKib(long pid) throws IOException {
            return status(pid, "VmHWM:");
        }

        /** The resident set's anonymous and file-backed parts (the JDK's and the AOT cache's mapped files). */
        static String rssParts(long pid) throws IOException {
            return String.format(Locale.ROOT, "%.1f + %.1f", mib(status(pid, "RssAnon:")),
                    mib(status(pid, "RssFile:") + status(pid, "RssShmem:")));
        }

        static long threads(long pid) throws IOException {
            return status(pid, "Threads:");
        }

        static long fds(long pid) throws IOException {
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                return fds.count();
            }
        }

        private static long status(long pid, String field) throws IOException {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith(field))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + field + " in /proc/" + pid + "/status"));
        }
    }

    /** A diagnostic command in the agent's JVM, as {@code jcmd PID ...} (after the /proc readings: it adds a thread). */
    private static final class Jcmd {
        static String run(long pid, String... command) throws IOException, InterruptedException {
            List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid)));
            line.addAll(List.of(command));
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor();
            return output;
        }
    }
}
