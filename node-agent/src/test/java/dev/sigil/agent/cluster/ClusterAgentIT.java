package dev.sigil.agent.cluster;

import static dev.sigil.agent.testing.TestPrograms.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.metrics.AgentMetrics;
import dev.sigil.agent.node.FailureCause;
import dev.sigil.agent.node.RunningProgram;
import dev.sigil.agent.testing.FakeKernel;
import dev.sigil.agent.testing.FakeProgramHost;
import dev.sigil.agent.testing.MetricSamples;
import dev.sigil.agent.testing.TestPrograms;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.bpf.testing.FakeSyscallBridge;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.Xdp;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.signing.ReasonCode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster agent against the Fabric8 mock API server (CRUD mode) with a fake host. */
class ClusterAgentIT {
    private static final String NODE = "node-a";
    private static final Map<String, String> WORKER = Map.of("kubernetes.io/os", "linux", "role", "worker");

    @TempDir
    Path trustDir;

    private final FakeKernel kernel = new FakeKernel();
    private final AtomicReference<FakeProgramHost> currentHost = new AtomicReference<>();
    private final AgentMetrics metrics = new AgentMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new FakeSyscallBridge());
    private MockApiServer api;
    private AgentClient agentClient;
    private ClusterAgent agent;
    private Node node;

    @BeforeEach
    void startApiServer() throws IOException {
        Files.writeString(trustDir.resolve("ca.pem"), "stand-in anchor");
        api = MockApiServer.start();
        node = api.createNode(NODE, WORKER);
        agentClient = AgentClients.failFast(api);
    }

    @AfterEach
    void stopEverything() {
        if (agent != null) {
            agent.close();
        }
        agentClient.close();
        api.close();
        metrics.close();
    }

    @Test
    void appliesASelectedProgramAndReportsItAttachedInAnOwnedNodeState() throws Exception {
        startAgent();
        api.client().resource(program("counter", "loader v1", null)).create();

        await().until(() -> kernel.isPinned("counter"));
        BpfNodeState state = awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);
        assertThat(state.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("Node");
            assertThat(owner.getName()).isEqualTo(NODE);
            assertThat(owner.getUid()).isEqualTo(node.getMetadata().getUid());
        });
        assertThat(state.getStatus().getKernel().getRelease()).isEqualTo("6.18.0-fake");
        assertThat(state.getStatus().getProgramCount()).isEqualTo(1);
        NodeProgramState entry = state.getStatus().getPrograms().getFirst();
        assertThat(entry.getGeneration()).isEqualTo(1L);
        assertThat(entry.getPrograms()).extracting(LoadedProgram::getAttachedTo).containsExactly("RawTracepoint(sys_enter)");
    }

    @Test
    void appliesAgainOnlyTheProgramsThatLeaveTargetsToTheNodeWhenItsInterfacesChange() throws Exception {
        // No resync during the test: it applies every program again, the fixed one too, whenever it falls.
        startAgent(this::trustDirHost, Duration.ofMinutes(10));
        // After the start's own pass over every name, which would apply a program created before it again.
        await().until(agent::isReady);
        SignedBpfProgram pattern = program("on-veths", "loader p", null);
        pattern.getSpec().setPrograms(List.of(new ProgramSpec("xdp_count",
                AttachSpec.xdp(Xdp.matching("veth*", XdpMode.Generic)))));
        api.client().resource(pattern).create();
        api.client().resource(program("counter", "loader v1", null)).create();
        awaitEntry("on-veths", entry -> entry.getPhase() == ProgramPhase.Attached);
        awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);
        FakeProgramHost host = currentHost.get();
        int patternApplies = host.applyCount("on-veths");
        int counterApplies = host.applyCount("counter");

        host.interfacesChange();

        await().until(() -> host.applyCount("on-veths") > patternApplies);
        assertThat(host.applyCount("counter")).as("a fixed target is not resolved again").isEqualTo(counterApplies);
    }

    @Test
    void leavesProgramsForOtherNodesAlone() throws Exception {
        startAgent();
        api.client().resource(program("gateway-only", "loader g", selector("role", "gateway"))).create();
        api.client().resource(program("counter", "loader v1", null)).create();

        awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);
        assertThat(kernel.pinned()).containsOnlyKeys("counter");
        assertThat(nodeState().getStatus().getPrograms()).extracting(NodeProgramState::getName).containsExactly("counter");
    }

    @Test
    void unloadsAndRemovesTheEntryWhenTheSelectorStopsMatching() throws Exception {
        startAgent();
        api.client().resource(program("workers", "loader w", selector("role", "worker"))).create();
        awaitEntry("workers", entry -> entry.getPhase() == ProgramPhase.Attached);

        api.client().nodes().withName(NODE).edit(n -> {
            n.getMetadata().getLabels().put("role", "gateway");
            return n;
        });

        await().until(() -> !kernel.isPinned("workers"));
        await().until(() -> nodeState().getStatus().getPrograms().isEmpty());
        assertThat(nodeState().getStatus().getProgramCount()).isZero();
    }

    @Test
    void appliesTheNewGenerationWhenTheSpecChanges() throws Exception {
        startAgent();
        api.client().resource(program("counter", "loader v1", null)).create();
        awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);

        SignedBpfProgram edited = api.client().resources(SignedBpfProgram.class).withName("counter").edit(p -> {
            p.getSpec().setLoader(Base64.getEncoder().encodeToString("loader v2".getBytes()));
            return p;
        });
        long newGeneration = edited.getMetadata().getGeneration();
        assertThat(newGeneration).isGreaterThan(1L);

        awaitEntry("counter", entry -> entry.getGeneration() == newGeneration && entry.getPhase() == ProgramPhase.Attached);
        assertThat(kernel.pinnedGeneration("counter")).contains(newGeneration);
        assertThat(nodeState().getStatus().getPrograms().getFirst().getLoaderHash())
                .isEqualTo(TestPrograms.loaderHash(edited));
    }

    @Test
    void unloadsAProgramDeletedFromTheCluster() throws Exception {
        startAgent();
        api.client().resource(program("counter", "loader v1", null)).create();
        awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);

        api.client().resources(SignedBpfProgram.class).withName("counter").delete();

        await().until(() -> !kernel.isPinned("counter"));
        await().until(() -> nodeState().getStatus().getPrograms().isEmpty());
    }

    @Test
    void unloadsAProgramWhoseLoaderTheMountedTrustBundleRevokes() throws Exception {
        startAgent();
        SignedBpfProgram counter = api.client().resource(program("counter", "loader v1", null)).create();
        awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);

        Files.writeString(trustDir.resolve("revoked-loaders"), "# leaked build key\n" + TestPrograms.loaderHash(counter) + "\n");

        await().until(() -> !kernel.isPinned("counter"));
        NodeProgramState entry = awaitEntry("counter", e -> e.getPhase() == ProgramPhase.Failed)
                .getStatus().getPrograms().getFirst();
        assertThat(entry.getReason()).isEqualTo("Revoked");
        assertThat(kernel.openHosts()).as("the host opened with the old bundle is closed").isEqualTo(1);
        assertThat(awaitEvent("counter", "VerificationFailed").getType()).isEqualTo("Warning");
    }

    @Test
    void reportsAKernelFailureAndKeepsItUntilTheRetry() throws Exception {
        FakeKernel failing = kernel;
        startAgent(() -> {
            FakeProgramHost host = trustDirHost();
            host.failAttachOf("counter");
            return host;
        });
        api.client().resource(program("counter", "loader v1", null)).create();

        NodeProgramState entry = awaitEntry("counter", e -> e.getPhase() == ProgramPhase.Failed)
                .getStatus().getPrograms().getFirst();
        assertThat(entry.getReason()).isEqualTo("AttachFailed");
        assertThat(failing.isPinned("counter")).isFalse();
        await().until(() -> currentHost.get().applyCount("counter") >= 2);
        assertThat(awaitEvent("counter", "AttachFailed").getMessage()).contains("node-a", "ENODEV");
        assertThat(metricsSample("sigil_agent_rejections_total{reason=\"AttachFailed\"}")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anExceptionWhileApplyingFailsThatProgramAloneOnTheStatusAndIsRetriedUntilItWorks() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        startAgent(() -> new FakeProgramHost(kernel, request -> {
            if (request.name().equals("broken") && broken.get()) {
                throw new IllegalStateException("a defect in the agent\nat some.Frame");
            }
            return Optional.empty();
        }));
        api.client().resource(program("broken", "loader b", null)).create();
        api.client().resource(program("counter", "loader v1", null)).create();

        awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);
        NodeProgramState failed = awaitEntry("broken", entry -> entry.getPhase() == ProgramPhase.Failed)
                .getStatus().getPrograms().stream().filter(entry -> entry.getName().equals("broken")).findFirst().orElseThrow();
        assertThat(failed.getReason()).isEqualTo("AgentError");
        assertThat(failed.getMessage()).isEqualTo("unexpected IllegalStateException while applying it: a defect in the agent");
        assertThat(awaitEvent("broken", "AgentError").getType()).isEqualTo("Warning");

        broken.set(false);

        awaitEntry("broken", entry -> entry.getPhase() == ProgramPhase.Attached);
        assertThat(kernel.pinned()).containsOnlyKeys("broken", "counter");
    }

    @Test
    void reAdoptsWhatAnEarlierAgentPinnedWithoutReloadingIt() throws Exception {
        api.client().resource(program("counter", "loader v1", null)).create();
        FakeProgramHost previousAgent = FakeProgramHost.trustingEverything(kernel);
        previousAgent.apply(SpecTranslation.deployRequest(api.client().resources(SignedBpfProgram.class).withName("counter").get()));
        previousAgent.close();
        RunningProgram before = kernel.pinned().get("counter").programs().getFirst();

        startAgent();

        LoadedProgram reported = awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached)
                .getStatus().getPrograms().getFirst().getPrograms().getFirst();
        assertThat(reported.getProgramId()).isEqualTo(before.programId());
        assertThat(reported.getLinkId()).isEqualTo(before.attached().getFirst().linkId());
        assertThat(kernel.pinned().get("counter").programs().getFirst().attached().getFirst().linkId()).isEqualTo(before.attached().getFirst().linkId());
        assertThat(metricsSample("sigil_agent_readoptions_total")).isEqualTo(1);
    }

    @Test
    void repairsDriftAndReportsTheNewLinkEvenAfterSomeoneElseTouchedTheNodeState() throws Exception {
        startAgent();
        api.client().resource(program("counter", "loader v1", null)).create();
        Long linkBefore = awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached)
                .getStatus().getPrograms().getFirst().getPrograms().getFirst().getLinkId();
        // Bumps the resourceVersion behind the writer's back: its next patch meets a conflict. A merge patch, which
        // names no resourceVersion, so that this writer never meets the agent's own heartbeat in a conflict.
        api.client().resources(BpfNodeState.class).withName(NODE).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"touched-by\":\"someone-else\"}}}");

        kernel.detachLinks("counter");

        awaitEntry("counter", entry -> entry.getPrograms().getFirst().getLinkId() != null
                && !entry.getPrograms().getFirst().getLinkId().equals(linkBefore));
        assertThat(awaitEvent("counter", "DriftRepaired").getType()).isEqualTo("Normal");
    }

    @Test
    void keepsProgramsWhileTheApiServerIsAwayAndConvergesOnTheOneThatComesBack() throws Exception {
        startAgent();
        api.client().resource(program("counter", "loader v1", null)).create();
        awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);

        api.stop();
        // The reconciler still runs without the API server: it repairs drift, and unloads nothing.
        kernel.detachLinks("counter");
        await().until(() -> !kernel.isDetached("counter"));
        assertThat(kernel.isPinned("counter")).isTrue();
        // The repair is news the agent cannot write.
        await().until(() -> metricsSample("sigil_agent_api_write_failures_total") >= 1);
        assertThat(metricsSample("sigil_agent_drift_repairs_total")).isEqualTo(1);

        api.restart();
        api.createNode(NODE, WORKER);
        api.client().resource(program("successor", "loader s", null)).create();

        await().until(() -> kernel.isPinned("successor") && !kernel.isPinned("counter"));
        BpfNodeState recreated = awaitEntry("successor", entry -> entry.getPhase() == ProgramPhase.Attached);
        assertThat(recreated.getStatus().getPrograms()).extracting(NodeProgramState::getName).containsExactly("successor");
    }

    @Test
    void resumesWatchesTheServerEndedWithoutListingAfresh() throws Exception {
        String programs = "/apis/" + HasMetadata.getApiVersion(SignedBpfProgram.class) + "/"
                + HasMetadata.getPlural(SignedBpfProgram.class);
        startAgent();
        api.client().resource(program("counter", "loader v1", null)).create();
        awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);
        long listed = api.lists(programs);
        assertThat(listed).as("the informer's first list").isPositive();

        // What every API server does once a watch's timeout runs out; the agent's client resumes after 100 ms.
        int ended = api.endWatches();
        assertThat(ended).as("programs, node and node state watched").isGreaterThanOrEqualTo(3);
        await().until(api::openWatches, open -> open >= ended);
        // News on a resumed watch is acted on: the agent decides while a watch is renewed and after.
        api.client().resource(program("successor", "loader s", null)).create();
        awaitEntry("successor", entry -> entry.getPhase() == ProgramPhase.Attached);

        assertThat(api.lists(programs)).as("no relist: a watch the server ended is no outage").isEqualTo(listed);
        assertThat(kernel.isPinned("counter")).isTrue();
    }

    @Test
    void leavesPinnedProgramsInPlaceOnShutdownWhileTheNodeIsTargeted() throws Exception {
        startAgent();
        api.client().resource(program("counter", "loader v1", null)).create();
        awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);

        agent.close();

        assertThat(kernel.isPinned("counter")).isTrue();
        assertThat(currentHost.get().isClosed()).isTrue();
    }

    @Test
    void unloadsOnShutdownWhenTheNodeIsNoLongerTargeted() throws Exception {
        startAgent();
        api.client().resource(program("counter", "loader v1", null)).create();
        awaitEntry("counter", entry -> entry.getPhase() == ProgramPhase.Attached);

        api.client().nodes().withName(NODE).delete();
        agent.close();

        assertThat(kernel.pinned()).isEmpty();
    }

    @Test
    void servesLivenessReadinessAndMetrics() throws Exception {
        startAgent();
        api.client().resource(program("counter", "loader v1", null)).create();
        try (HealthServer health = HealthServer.start(0, agent::isLive, agent::isReady, metrics);
                HttpClient http = HttpClient.newHttpClient()) {
            await().until(() -> status(http, health, "/readyz") == 200);
            assertThat(status(http, health, "/healthz")).isEqualTo(200);
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/metrics")).build();
            HttpResponse<String> scraped = await().until(() -> http.send(scrape, HttpResponse.BodyHandlers.ofString()),
                    response -> MetricSamples.of(response.body()).value("sigil_agent_programs{phase=\"Attached\"}") == 1);
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(MetricSamples.of(scraped.body()).types()).containsEntry("sigil_agent_load_seconds", "histogram");

            agent.close();

            assertThat(status(http, health, "/readyz")).isEqualTo(503);
            assertThat(status(http, health, "/healthz")).isEqualTo(503);
        }
    }

    private void startAgent() throws Exception {
        startAgent(this::trustDirHost);
    }

    private void startAgent(ProgramHostFactory factory) throws Exception {
        startAgent(factory, Duration.ofMillis(500));
    }

    /** @param retryInterval also the informers' resync, which applies every program again */
    private void startAgent(ProgramHostFactory factory, Duration retryInterval) throws Exception {
        ClusterAgentConfig config = new ClusterAgentConfig(NODE, trustDir, Duration.ofMillis(100), retryInterval,
                Duration.ofSeconds(2), Clock.systemUTC());
        agent = new ClusterAgent(agentClient, config, () -> {
            FakeProgramHost host = (FakeProgramHost) factory.open();
            currentHost.set(host);
            return metrics.observe(host);
        }, metrics);
        agent.start();
    }

    /** Stands in for the real host's trust bundle: refuses loaders named in the bundle's revoked-loaders file. */
    private FakeProgramHost trustDirHost() throws IOException {
        Path revokedFile = trustDir.resolve("revoked-loaders");
        List<String> revoked = Files.exists(revokedFile) ? Files.readAllLines(revokedFile) : new ArrayList<>();
        Set<String> hashes = Set.copyOf(revoked.stream().filter(line -> line.startsWith("sha256:")).toList());
        return new FakeProgramHost(kernel, request -> hashes.contains(FakeProgramHost.loaderHash(request))
                ? Optional.of(new FakeProgramHost.Rejection(new FailureCause.Untrusted(ReasonCode.Revoked),
                        "loader hash is revoked"))
                : Optional.empty());
    }

    private BpfNodeState nodeState() {
        return api.client().resources(BpfNodeState.class).withName(NODE).get();
    }

    private BpfNodeState awaitEntry(String name, java.util.function.Predicate<NodeProgramState> condition) {
        return await().until(this::nodeState, state -> state != null && state.getStatus() != null
                && state.getStatus().getPrograms().stream().anyMatch(entry -> entry.getName().equals(name) && condition.test(entry)));
    }

    /** The agent's Event about the program for this reason, in {@code default} where the API requires it. */
    private Event awaitEvent(String program, String reason) {
        return await().until(() -> api.client().v1().events().inNamespace("default").list().getItems().stream()
                .filter(event -> program.equals(event.getInvolvedObject().getName()) && reason.equals(event.getReason()))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    private static io.fabric8.kubernetes.api.model.LabelSelector selector(String key, String value) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of(key, value)).build();
    }

    private double metricsSample(String sample) {
        return MetricSamples.of(metrics.scrape()).value(sample);
    }

    private static int status(HttpClient http, HealthServer health, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
