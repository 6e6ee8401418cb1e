package dev.sigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.crds.SigilApi;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.crds.testing.JavaProcess;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowingConsumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sigil as a user runs it, on one API server: the operator and three cluster agents (nodes a, b and c), each a
 * JVM of its own, the agents on this machine's kernel with their own pin roots. The steps run in order on one
 * set of processes and programs, as a user's session would: a signed program on two nodes, tampered with and
 * restored, moved to other nodes; a second program that one node's agent cannot verify; deletion; SIGTERM.
 * Subclasses name the API server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterFlowE2E {
    private static final Duration SIGTERM_DEADLINE = Duration.ofSeconds(10);
    private static final int EDIT_ATTEMPTS = 5;
    private static final Path WORK = Path.of("target", "e2e-runs");
    private static final SigningKey RELEASE = SignedPrograms.newSigner("release");
    /** Trusted by the cluster's bundle and by the agents of nodes a and b, not by node c's. */
    private static final SigningKey PARTIAL = SignedPrograms.newSigner("partial");
    private static final SignedBundle SIGNED = SignedPrograms.sign(RELEASE);

    private ClusterTarget target;
    private SigilRun run;
    private String counter;
    private String partial;
    private final List<Long> programIdsSeen = new ArrayList<>();

    abstract ClusterTarget startTarget(Path workDir) throws Exception;

    @BeforeAll
    void startSigil() throws Exception {
        KernelFeatures kernel = KernelAssumptions.requireLoaderHashV1();
        KernelAssumptions.require("raw_tracepoint attach", kernel.attach(AttachKind.RawTracepoint));
        Files.createDirectories(WORK);
        target = startTarget(WORK);
        run = SigilRun.start(target, WORK, RELEASE, PARTIAL);
        counter = "counter-" + run.id;
        partial = "partial-" + run.id;
        System.out.printf("e2e run %s on %s: namespace %s, nodes %s, logs in %s%n", run.id, target.describe(), run.namespace,
                SigilRun.NODES.stream().map(run::node).toList(), WORK.resolve(run.id).toAbsolutePath());
        // Four JVMs start at once: give them twice a step's time.
        step("every agent reports its node and the operator leads", run.patience.multipliedBy(2), () -> {
            for (String letter : SigilRun.NODES) {
                BpfNodeState state = nodeState(letter);
                assertThat(state).as("BpfNodeState of %s", run.node(letter)).isNotNull();
                assertThat(state.getStatus()).as("its status").isNotNull();
                assertThat(state.getStatus().getKernel().isBpfUsable()).isTrue();
            }
            assertThat(leaseHolder()).isNotEmpty();
        });
    }

    @AfterAll
    void stopSigil() {
        if (run != null) {
            run.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    @Order(1)
    void verifiedProgramRunsOnTheTwoNodesItSelectsAndNeverOnTheThird() throws Exception {
        run.client.resource(run.label(SignedPrograms.program(counter, SIGNED, RELEASE, run.select("ab")))).create();

        awaitStatus(counter, status -> {
            assertThat(condition(status, "Verified").getStatus()).isEqualTo("True");
            assertThat(status.getTargetedNodes()).isEqualTo(2);
            assertThat(status.getAttachedNodes()).isEqualTo(2);
            assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        });
        step("nodes a and b carry the agent label, c does not", () -> {
            assertThat(agentLabel("a")).isEqualTo("true");
            assertThat(agentLabel("b")).isEqualTo("true");
            assertThat(agentLabel("c")).isNull();
        });
        DaemonSet agents = run.client.apps().daemonSets().inNamespace(run.namespace).withName("sigil-agent").get();
        assertThat(agents).as("the agent DaemonSet").isNotNull();
        assertThat(agents.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry(SigilApi.AGENT_NODE_LABEL, "true");
        for (String letter : List.of("a", "b")) {
            NodeProgramState entry = reported(letter, counter);
            assertThat(entry.getPhase()).isEqualTo(ProgramPhase.Attached);
            assertThat(entry.getLoaderHash()).isEqualTo(SIGNED.loaderHash());
            assertInKernel(letter, entry);
        }
        assertThat(entry("c", counter)).as("node c's report").isEmpty();
        assertThat(KernelObjects.pinnedResources(run.agent("c").pinRoot())).isEmpty();
        long programId = reported("a", counter).getPrograms().getFirst().getProgramId();
        long before = KernelObjects.counterValue(programId);
        step("the counter on node a counts system calls", () -> assertThat(KernelObjects.counterValue(programId)).isGreaterThan(before));
        step("its Events are in default, as the API server wants for a cluster-scoped object", () ->
                assertThat(events(counter)).extracting(Event::getReason).contains("RolloutStarted", "RolloutCompleted"));
        printTable(counter);
    }

    @Test
    @Order(2)
    void tamperedSpecIsUnloadedEverywhereAndTheGoodSpecComesBack() {
        editSpec(counter, program -> program.getSpec().setMetadata(SignedPrograms.tamperedMetadata(SIGNED)));

        awaitStatus(counter, status -> {
            Condition verified = condition(status, "Verified");
            assertThat(verified.getStatus()).isEqualTo("False");
            assertThat(verified.getReason()).isEqualTo("HashMismatch");
            assertThat(status.getTargetedNodes()).isZero();
        });
        step("both agents refuse generation 2 and unload what ran", () -> {
            for (String letter : List.of("a", "b")) {
                NodeProgramState entry = reported(letter, counter);
                assertThat(entry.getGeneration()).isEqualTo(2);
                assertThat(entry.getPhase()).isEqualTo(ProgramPhase.Failed);
                assertThat(entry.getReason()).isEqualTo("HashMismatch");
                assertThat(KernelObjects.pinnedResources(run.agent(letter).pinRoot())).isEmpty();
            }
            assertThat(programIdsSeen).noneMatch(KernelObjects::programLoaded);
        });
        step("no node keeps the agent label", () -> SigilRun.NODES.forEach(letter -> assertThat(agentLabel(letter)).isNull()));

        editSpec(counter, program -> program.getSpec().setMetadata(SIGNED.metadataBase64()));

        awaitStatus(counter, status -> {
            assertThat(status.getObservedGeneration()).isEqualTo(3);
            assertThat(status.getAttachedNodes()).isEqualTo(2);
            assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        });
        for (String letter : List.of("a", "b")) {
            assertInKernel(letter, reported(letter, counter));
        }
    }

    @Test
    @Order(3)
    void movingTheSelectorMovesTheProgram() {
        editSpec(counter, program -> program.getSpec().getNodeSelector().setMatchLabels(run.select("bc")));

        awaitStatus(counter, status -> {
            assertThat(status.getObservedGeneration()).isEqualTo(4);
            assertThat(status.getTargetedNodes()).isEqualTo(2);
            assertThat(status.getAttachedNodes()).isEqualTo(2);
        });
        step("node a unloads it and loses the label; c loads it", () -> {
            assertThat(entry("a", counter)).isEmpty();
            assertThat(KernelObjects.pinnedResources(run.agent("a").pinRoot())).isEmpty();
            assertThat(agentLabel("a")).isNull();
            assertThat(agentLabel("c")).isEqualTo("true");
        });
        for (String letter : List.of("b", "c")) {
            assertInKernel(letter, reported(letter, counter));
        }
    }

    @Test
    @Order(4)
    void aNodeWhoseAgentDoesNotTrustTheSignerShowsAsOneOfTwoFailed() throws IOException {
        run.client.resource(run.label(SignedPrograms.program(partial, SignedPrograms.sign(PARTIAL), PARTIAL, run.select("ac")))).create();

        awaitStatus(partial, status -> {
            assertThat(condition(status, "Verified").getStatus()).as("the cluster's bundle trusts the signer").isEqualTo("True");
            assertThat(status.getTargetedNodes()).isEqualTo(2);
            assertThat(status.getAttachedNodes()).isEqualTo(1);
            assertThat(status.getFailedNodes()).isEqualTo(1);
            assertThat(status.getFailingNodes()).singleElement().satisfies(failing -> {
                assertThat(failing.getNode()).isEqualTo(run.node("c"));
                assertThat(failing.getReason()).isEqualTo("UntrustedSigner");
            });
            assertThat(condition(status, "Degraded").getStatus()).isEqualTo("True");
            assertThat(condition(status, "Ready").getReason()).isEqualTo("NodesFailed");
        });
        assertInKernel("a", reported("a", partial));
        assertThat(KernelObjects.pinnedResources(run.agent("c").pinRoot())).doesNotContain(partial);
        step("a NodeFailed Warning names node c", () -> assertThat(events(partial)).anySatisfy(event -> {
            assertThat(event.getReason()).isEqualTo("NodeFailed");
            assertThat(event.getMessage()).contains(run.node("c"));
        }));
        printTable(partial);
    }

    @Test
    @Order(5)
    void deletionFinishesAndLeavesNothingLoadedOrPinned() {
        run.client.resources(SignedBpfProgram.class).withName(counter).delete();
        run.client.resources(SignedBpfProgram.class).withName(partial).delete();

        step("both programs are gone once their nodes unloaded them", () -> {
            assertThat(run.client.resources(SignedBpfProgram.class).withName(counter).get()).isNull();
            assertThat(run.client.resources(SignedBpfProgram.class).withName(partial).get()).isNull();
        });
        step("no agent reports, pins or runs anything", () -> {
            for (SigilRun.Agent agent : run.agents()) {
                assertThat(nodeState(agent.letter()).getStatus().getPrograms()).isEmpty();
                assertThat(KernelObjects.pinnedResources(agent.pinRoot())).as("pinned under %s", agent.pinRoot()).isEmpty();
            }
            assertThat(programIdsSeen).isNotEmpty().noneMatch(KernelObjects::programLoaded);
            SigilRun.NODES.forEach(letter -> assertThat(agentLabel(letter)).isNull());
        });
    }

    @Test
    @Order(6)
    void sigtermEndsTheOperatorAndEveryAgentWithinTenSecondsAndReleasesTheLease() {
        List<JavaProcess> processes = new ArrayList<>();
        processes.add(run.operator());
        run.agents().forEach(agent -> processes.add(agent.process()));
        assertThat(processes).allMatch(JavaProcess::isAlive);

        Instant sent = Instant.now();
        processes.forEach(JavaProcess::sigterm);
        for (JavaProcess process : processes) {
            Duration left = SIGTERM_DEADLINE.minus(Duration.between(sent, Instant.now()));
            assertThat(process.awaitExit(left.isNegative() ? Duration.ZERO : left))
                    .as("exit within %s of SIGTERM; %s", SIGTERM_DEADLINE, process.tail(30)).isPresent();
        }
        System.out.printf("operator and %d agents exited %d ms after SIGTERM%n", processes.size() - 1,
                Duration.between(sent, Instant.now()).toMillis());
        assertThat(leaseHolder()).as("the Lease is released").isEmpty();
        processes.forEach(process -> assertThat(process.output()).as(process.tail(30)).doesNotContain(" ERROR "));
    }

    private void assertInKernel(String letter, NodeProgramState entry) {
        assertThat(entry.getPrograms()).isNotEmpty().allSatisfy(program -> {
            programIdsSeen.add(program.getProgramId());
            assertThat(KernelObjects.programLoaded(program.getProgramId())).as("program %d of %s", program.getProgramId(), run.node(letter)).isTrue();
            assertThat(Path.of(program.getPinPath())).as("link pin of %s", run.node(letter))
                    .startsWith(run.agent(letter).pinRoot()).exists();
        });
        assertThat(entry.getPrograms()).extracting(LoadedProgram::getAttachedTo).containsOnly("RawTracepoint(sys_enter)");
    }

    /** As {@code kubectl edit} is used: a write that meets the operator's concurrent one (409) is made again on the fresh object. */
    private void editSpec(String name, Consumer<SignedBpfProgram> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                run.client.resources(SignedBpfProgram.class).withName(name).edit(program -> {
                    change.accept(program);
                    return program;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == EDIT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private BpfNodeState nodeState(String letter) {
        return run.client.resources(BpfNodeState.class).withName(run.node(letter)).get();
    }

    private Optional<NodeProgramState> entry(String letter, String program) {
        BpfNodeState state = nodeState(letter);
        if (state == null || state.getStatus() == null || state.getStatus().getPrograms() == null) {
            return Optional.empty();
        }
        return state.getStatus().getPrograms().stream().filter(entry -> program.equals(entry.getName())).findFirst();
    }

    private NodeProgramState reported(String letter, String program) {
        return entry(letter, program).orElseThrow(() -> new AssertionError(run.node(letter) + " does not report " + program));
    }

    private String agentLabel(String letter) {
        Map<String, String> labels = run.client.nodes().withName(run.node(letter)).get().getMetadata().getLabels();
        return labels == null ? null : labels.get(SigilApi.AGENT_NODE_LABEL);
    }

    private String leaseHolder() {
        var lease = run.client.leases().inNamespace(run.namespace).withName("sigil-operator").get();
        return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
    }

    private List<Event> events(String program) {
        return run.client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(event -> program.equals(event.getInvolvedObject().getName()))
                .toList();
    }

    private static Condition condition(SignedBpfProgramStatus status, String type) {
        return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
                .filter(condition -> type.equals(condition.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " condition in " + status.getConditions()));
    }

    private void awaitStatus(String name, ThrowingConsumer<SignedBpfProgramStatus> expectation) {
        step(name + " status", () -> {
            SignedBpfProgram program = run.client.resources(SignedBpfProgram.class).withName(name).get();
            assertThat(program).isNotNull();
            assertThat(program.getStatus()).isNotNull();
            expectation.accept(program.getStatus());
        });
    }

    /** Waits until the assertion holds; on timeout the failure carries the processes' logs. */
    private void step(String what, ThrowingRunnable assertion) {
        step(what, run.patience, assertion);
    }

    private void step(String what, Duration patience, ThrowingRunnable assertion) {
        try {
            Awaitility.await(what).atMost(patience).pollInterval(Duration.ofMillis(250)).untilAsserted(assertion);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + run.logs(), e);
        }
    }

    /** What {@code kubectl get sbpf NAME} shows: the server's Table rendering (the mock API server has none). */
    private void printTable(String name) throws IOException {
        try {
            var http = run.client.getHttpClient();
            HttpRequest request = http.newHttpRequestBuilder()
                    .uri(run.client.getMasterUrl() + "apis/" + SigilApi.API_VERSION + "/signedbpfprograms/" + name)
                    .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build();
            HttpResponse<String> response = http.sendAsync(request, String.class).get();
            JsonNode table = run.client.getKubernetesSerialization().unmarshal(response.body(), JsonNode.class);
            if (!"Table".equals(table.path("kind").asText())) {
                System.out.println("$ kubectl get sbpf " + name + ": " + target.describe() + " renders no tables");
                return;
            }
            StringBuilder out = new StringBuilder("$ kubectl get sbpf " + name + "\n");
            table.path("columnDefinitions").forEach(column -> out.append(column.path("name").asText()).append('\t'));
            out.append('\n');
            table.path("rows").get(0).path("cells").forEach(cell -> out.append(cell.asText()).append('\t'));
            System.out.println(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
    }
}
