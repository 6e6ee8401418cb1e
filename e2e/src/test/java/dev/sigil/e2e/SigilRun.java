package dev.sigil.e2e;

import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.testing.JavaProcess;
import dev.sigil.signing.SigningKey;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One run of Sigil on a target: a namespace, three Node objects with no kubelet behind them, the operator and
 * one cluster agent per node, each a JVM of its own on this machine's kernel with its own pin root and trust
 * bundle. Every name carries the run's id, so runs and other users of the cluster and kernel never meet.
 * Closing it removes everything it created, whatever state the run ended in.
 */
final class SigilRun implements AutoCloseable {
    static final String RUN_LABEL = "e2e.sigil.dev/run";
    /** Node letters and the selector labels that pick two of them each: ab, bc and ac. */
    static final List<String> NODES = List.of("a", "b", "c");

    /** A node's agent: its pin root and trust bundle, and its process once started. */
    record Agent(String letter, String node, Path pinRoot, Path trustDir, JavaProcess process) {
    }

    final String id = UUID.randomUUID().toString().substring(0, 6);
    final String namespace = "sigil-e2e-" + id;
    final KubernetesClient client;
    final Duration patience;
    private final Path workDir;
    private final Path kubeconfig;
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private JavaProcess operator;

    private SigilRun(ClusterTarget target, Path workDir) throws IOException {
        this.workDir = Files.createDirectories(workDir.resolve(id));
        this.kubeconfig = target.kubeconfig();
        this.patience = target.patience();
        this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }

    /**
     * Installs the CRDs, creates the namespace, trust ConfigMap and Nodes, and starts the operator and the
     * agents. Node c's agent does not trust {@code partial}'s certificate, which the cluster's bundle holds.
     */
    static SigilRun start(ClusterTarget target, Path workDir, SigningKey release, SigningKey partial) throws IOException {
        SigilRun run = new SigilRun(target, workDir);
        try {
            target.installCrds(run.client);
            run.createNamespaceAndTrust(release, partial);
            for (String node : NODES) {
                run.createNode(node);
                run.startAgent(node, node.equals("c") ? List.of(release) : List.of(release, partial));
            }
            run.startOperator();
            return run;
        } catch (RuntimeException | IOException e) {
            run.close();
            throw e;
        }
    }

    String node(String letter) {
        return "sigil-e2e-" + id + "-" + letter;
    }

    /** A label pair that selects exactly the nodes named by the letters, e.g. {@code select("ab")}. */
    Map<String, String> select(String letters) {
        return Map.of("e2e.sigil.dev/" + letters, id);
    }

    Agent agent(String letter) {
        return agents.get(letter);
    }

    Iterable<Agent> agents() {
        return agents.values();
    }

    JavaProcess operator() {
        return operator;
    }

    /** A program of this run: labelled with the run, so cleanup finds it whatever happened. */
    SignedBpfProgram label(SignedBpfProgram program) {
        program.getMetadata().setLabels(Map.of(RUN_LABEL, id));
        return program;
    }

    private void createNamespaceAndTrust(SigningKey release, SigningKey partial) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToLabels(RUN_LABEL, id).endMetadata().build()).create();
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("sigil-trust").withNamespace(namespace).endMetadata()
                .addToData("release.pem", SignedFixtures.pem(release.certificate()))
                .addToData("partial.pem", SignedFixtures.pem(partial.certificate()))
                .build()).create();
    }

    private void createNode(String letter) {
        Map<String, String> labels = new LinkedHashMap<>(Map.of("kubernetes.io/os", "linux",
                "kubernetes.io/hostname", node(letter), RUN_LABEL, id));
        for (String pair : List.of("ab", "bc", "ac")) {
            if (pair.contains(letter)) {
                labels.putAll(select(pair));
            }
        }
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node(letter)).withLabels(labels).endMetadata()
                .build()).create();
    }

    private void startAgent(String letter, List<SigningKey> trusted) throws IOException {
        Path trust = Files.createDirectories(workDir.resolve("trust-" + letter));
        for (SigningKey key : trusted) {
            Files.writeString(trust.resolve(key.certificate().getSubjectX500Principal().getName().replaceAll("\\W", "_") + ".pem"),
                    SignedFixtures.pem(key.certificate()));
        }
        Path pinRoot = Path.of("/sys/fs/bpf/sigil-e2e-" + id + "-" + letter);
        JavaProcess process = JavaProcess.start("agent " + node(letter), ReleaseJars.sigil(
                List.of("agent", "cluster", "--trust", trust.toString(), "--node", node(letter),
                        "--pin-root", pinRoot.toString(), "--health-port", "0")),
                Map.of("KUBECONFIG", kubeconfig.toString()), workDir.resolve("agent-" + letter + ".log"));
        agents.put(letter, new Agent(letter, node(letter), pinRoot, trust, process));
    }

    private void startOperator() throws IOException {
        Path config = Files.writeString(workDir.resolve("operator.yaml"), "agent: {image: registry.example/sigil:e2e}\n");
        operator = JavaProcess.start("operator", ReleaseJars.operator(
                List.of("--namespace", namespace, "--trust-configmap", namespace + "/sigil-trust", "--config", config.toString(),
                        "--leader-election", "--health-port", "0", "--metrics-port", "0")),
                Map.of("KUBECONFIG", kubeconfig.toString()), workDir.resolve("operator.log"));
    }

    /** The last lines of every process's log, for a failing step. */
    String logs() {
        List<String> tails = new ArrayList<>();
        if (operator != null) {
            tails.add(operator.tail(30));
        }
        agents.values().forEach(agent -> tails.add(agent.process().tail(20)));
        return String.join("\n\n", tails);
    }

    /** Stops every process and removes every object, pin and directory of the run; reports, never throws. */
    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        List<JavaProcess> processes = new ArrayList<>(agents.values().stream().map(Agent::process).toList());
        if (operator != null) {
            processes.add(operator);
        }
        processes.forEach(JavaProcess::sigterm);
        processes.forEach(JavaProcess::close);
        for (Agent agent : agents.values()) {
            guarded(problems, "unload what " + agent.node() + " left pinned", () -> unloadAndRemove(agent.pinRoot()));
        }
        guarded(problems, "delete this run's programs", () -> {
            for (SignedBpfProgram program : client.resources(SignedBpfProgram.class).withLabel(RUN_LABEL, id).list().getItems()) {
                client.resources(SignedBpfProgram.class).withName(program.getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\": {\"finalizers\": null}}");
                client.resources(SignedBpfProgram.class).withName(program.getMetadata().getName()).delete();
            }
        });
        for (String letter : NODES) {
            guarded(problems, "delete node " + node(letter), () -> {
                client.resources(BpfNodeState.class).withName(node(letter)).delete();
                client.nodes().withName(node(letter)).delete();
            });
        }
        // Delete what the namespace holds first: a bare control plane has no namespace controller to do it.
        guarded(problems, "empty namespace " + namespace, () -> {
            client.apps().daemonSets().inNamespace(namespace).delete();
            client.pods().inNamespace(namespace).withGracePeriod(0).delete();
            client.configMaps().inNamespace(namespace).delete();
            client.leases().inNamespace(namespace).delete();
        });
        guarded(problems, "delete namespace " + namespace, () -> client.namespaces().withName(namespace).delete());
        client.close();
        if (!problems.isEmpty()) {
            System.out.println("e2e run " + id + " cleanup could not: " + String.join("; ", problems));
        }
    }

    /** {@code sigil agent unload} for every resource left under the pin root, then the root itself. */
    private void unloadAndRemove(Path pinRoot) throws IOException {
        List<String> left = KernelObjects.pinnedResources(pinRoot);
        if (!left.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("agent", "unload", "--pin-root", pinRoot.toString()));
            args.addAll(left);
            try (JavaProcess unload = JavaProcess.start("sigil agent unload", ReleaseJars.sigil(args), Map.of(),
                    workDir.resolve("unload-" + pinRoot.getFileName() + ".log"))) {
                if (!unload.awaitExit(Duration.ofMinutes(1)).equals(java.util.Optional.of(0))) {
                    throw new IOException("sigil agent unload " + left + " failed: " + unload.tail(10));
                }
            }
        }
        if (Files.exists(pinRoot)) {
            try (Stream<Path> walk = Files.walk(pinRoot)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void guarded(List<String> problems, String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            problems.add(what + ": " + e);
        }
    }
}
