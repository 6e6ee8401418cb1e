package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.metrics.AgentMetrics;
import dev.sigil.agent.metrics.MetricsServer;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.MetricSamples;
import dev.sigil.agent.testing.ReportedStates;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.testing.FdCount;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.KernelObjects;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.AttachmentState;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramAttachment;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.testing.Shell;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster agent with the real kernel host against the mock API server: the signed example end to end on a node. */
class ClusterAgentOnKernelIT {
    private static final String NODE = "node-a";

    @TempDir
    Path trustDir;

    private HostFixture fixture;
    private MockApiServer api;
    private AgentClient agentClient;
    private ClusterAgent agent;
    private AgentMetrics metrics;
    private long statsFdsBefore;

    @BeforeEach
    void start() throws Exception {
        fixture = HostFixture.requiring(AttachKind.RawTracepoint);
        Files.writeString(trustDir.resolve("ca.pem"), "the hosts below trust TestBundles.trust()");
        api = MockApiServer.start();
        api.createNode(NODE, Map.of("kubernetes.io/os", "linux"));
        agentClient = AgentClients.failFast(api);
        statsFdsBefore = statsFds();
        metrics = AgentMetrics.onThisKernel();
        agent = new ClusterAgent(agentClient, new ClusterAgentConfig(NODE, trustDir, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Clock.systemUTC()),
                () -> metrics.observe(new KernelProgramHost(fixture.config().withStepTimer(metrics.stepTimer()),
                        LinuxSyscallBridge.create(), fixture.kernel())), metrics);
        agent.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
            agentClient.close();
            api.close();
            metrics.close();
        }
        HostFixture.closeIfStarted(fixture);
    }

    /**
     * The kernel counts the example's runs once the agent has loaded it; the agent's health port serves that count,
     * rising as the program runs, next to the load path's histograms; closing the metrics turns the statistics off.
     */
    @Test
    void servesTheKernelsRunCountOfTheLoadedProgramOnItsHealthPort() throws Exception {
        String name = TestBundles.uniqueName("counter");
        api.client().resource(TestResources.counterResource(name, 1,
                TestBundles.sign(TestBundles.counter(), TestBundles.key()), Enforcement.Auto)).create();
        await().until(() -> entry(name), entry -> entry.isPresent() && entry.get().getPhase() == ProgramPhase.Attached);
        assertThat(statsFds()).as("the fd keeping run statistics on").isEqualTo(statsFdsBefore + 1);
        String runCount = "sigil_program_run_count_total{program=\"count_sys_enter\",resource=\"" + name + "\"}";

        try (HealthServer health = HealthServer.start(0, agent::isLive, agent::isReady, metrics);
                HttpClient http = HttpClient.newHttpClient()) {
            MetricSamples first = scrape(http, health);
            // Every system call runs the program: scraping over HTTP makes plenty.
            await().until(() -> scrape(http, health).value(runCount) > first.value(runCount));

            MetricSamples samples = scrape(http, health);
            assertThat(samples.value("sigil_program_run_time_seconds_total{program=\"count_sys_enter\",resource=\""
                    + name + "\"}")).isPositive();
            for (String step : List.of("verification", "load", "attach", "pin")) {
                assertThat(samples.value("sigil_agent_" + step + "_seconds_count")).as(step).isGreaterThanOrEqualTo(1);
            }
            assertThat(samples.value("sigil_agent_programs{phase=\"Attached\"}")).isEqualTo(1);
        }
        agent.close();
        metrics.close();
        assertThat(statsFds()).as("the run statistics' fd is closed").isEqualTo(statsFdsBefore);
    }

    private static MetricSamples scrape(HttpClient http, HealthServer health) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + health.port() + MetricsServer.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return MetricSamples.of(response.body());
    }

    private static long statsFds() {
        return FdCount.snapshot().stream().filter(fd -> fd.endsWith("anon_inode:bpf-stats")).count();
    }

    @Test
    void loadsTheSignedExampleReportsItAndUnloadsItWhenDeleted() {
        String name = TestBundles.uniqueName("counter");
        SignedBpfProgram counter = TestResources.counterResource(name, 1,
                TestBundles.sign(TestBundles.counter(), TestBundles.key()), Enforcement.Auto);

        api.client().resource(counter).create();

        NodeProgramState attached = await().until(() -> entry(name), entry -> entry.isPresent()
                && entry.get().getPhase() == ProgramPhase.Attached).orElseThrow();
        long programId = attached.getPrograms().getFirst().getProgramId();
        assertThat(attached.getPrograms().getFirst().getAttachedTo()).isEqualTo("RawTracepoint(sys_enter)");
        assertThat(KernelObjects.exists(ObjectKind.PROGRAM, programId)).isTrue();

        api.client().resources(SignedBpfProgram.class).withName(name).delete();

        await().until(() -> entry(name).isEmpty());
        assertThat(KernelObjects.exists(ObjectKind.PROGRAM, programId)).as("program %d is gone from the kernel", programId).isFalse();
    }

    @Test
    void reportsATamperedResourceAsFailedWithoutLoadingIt() {
        String name = TestBundles.uniqueName("forged");
        SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());
        SignedBpfProgram forged = TestResources.counterResource(name, 1,
                TestBundles.withMetadata(bundle, TestBundles.flipByte(bundle.metadata(), 100)), Enforcement.Auto);

        api.client().resource(forged).create();

        NodeProgramState failed = await().until(() -> entry(name), entry -> entry.isPresent()
                && entry.get().getPhase() == ProgramPhase.Failed).orElseThrow();
        assertThat(failed.getReason()).isEqualTo("HashMismatch");
        assertThat(failed.getPrograms()).isEmpty();
    }

    @Test
    void reportsAMalformedSignatureOnThatResourceAloneAndKeepsTheOtherLoaded() {
        String validName = TestBundles.uniqueName("valid");
        String malformedName = TestBundles.uniqueName("malformed");
        SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());
        byte[] signature = bundle.signature().clone();
        signature[0] ^= 0x01; // the outer SEQUENCE tag: well-formed base64, no CMS structure
        SignedBundle malformed = new SignedBundle(bundle.protocol(), bundle.loader(), bundle.metadata(), bundle.hash(),
                signature);

        api.client().resource(TestResources.counterResource(validName, 1, bundle, Enforcement.Auto)).create();
        api.client().resource(TestResources.counterResource(malformedName, 1, malformed, Enforcement.Auto)).create();

        NodeProgramState failed = await().until(() -> entry(malformedName), entry -> entry.isPresent()
                && entry.get().getPhase() == ProgramPhase.Failed).orElseThrow();
        assertThat(failed.getReason()).as(failed.getMessage()).isEqualTo("MalformedSignature");
        assertThat(failed.getMessage()).as("one line, no library exception").doesNotContain("\n")
                .doesNotContain("Exception");
        assertThat(failed.getPrograms()).isEmpty();
        NodeProgramState attached = await().until(() -> entry(validName), entry -> entry.isPresent()
                && entry.get().getPhase() == ProgramPhase.Attached).orElseThrow();
        long programId = attached.getPrograms().getFirst().getProgramId();
        assertThat(entry(malformedName)).as("the malformed resource's own entry, unchanged")
                .hasValueSatisfying(entry -> assertThat(entry.getReason()).isEqualTo("MalformedSignature"));
        assertThat(KernelObjects.exists(ObjectKind.PROGRAM, programId)).as("the valid program, still loaded").isTrue();

        api.client().resources(SignedBpfProgram.class).withName(validName).delete();
        api.client().resources(SignedBpfProgram.class).withName(malformedName).delete();
        await().until(() -> entry(validName).isEmpty() && entry(malformedName).isEmpty());
        assertThat(KernelObjects.exists(ObjectKind.PROGRAM, programId)).isFalse();
    }

    @Test
    void followsTheInterfacesOfAPatternAsTheyComeAndGo() throws Exception {
        KernelAssumptions.require("XDP attach", fixture.kernel().attach(AttachKind.Xdp));
        String prefix = "sgk" + TestBundles.uniqueName("x").substring(2, 8);
        String name = TestBundles.uniqueName("xdp-pattern");
        try {
            Shell.run("ip", "link", "add", prefix + "a", "type", "veth", "peer", "name", prefix.replace("sgk", "sgj") + "a");
            api.client().resource(TestResources.xdpForPattern(name, prefix + "*", prefix + "*")).create();
            await().until(() -> entry(name), entry -> entry.isPresent() && entry.get().getPhase() == ProgramPhase.Attached
                    && entry.get().getPrograms().getFirst().getAttachedCount() == 1);

            Shell.run("ip", "link", "add", prefix + "b", "type", "veth", "peer", "name", prefix.replace("sgk", "sgj") + "b");
            NodeProgramState two = await().until(() -> entry(name), entry -> entry.isPresent()
                    && entry.get().getPrograms().getFirst().getAttachedCount() == 2).orElseThrow();
            assertThat(two.getPrograms().getFirst().getAttachments()).extracting(ProgramAttachment::getTarget)
                    .containsExactlyInAnyOrder("Xdp(" + prefix + "a, Generic)", "Xdp(" + prefix + "b, Generic)");

            Shell.run("ip", "link", "del", prefix + "a");
            NodeProgramState one = await().until(() -> entry(name), entry -> entry.isPresent()
                    && entry.get().getPrograms().getFirst().getAttachedCount() == 1).orElseThrow();
            assertThat(one.getPhase()).isEqualTo(ProgramPhase.Attached);
            assertThat(one.getPrograms().getFirst().getAttachments()).filteredOn(attachment ->
                    attachment.getState() == AttachmentState.Detached).singleElement().satisfies(gone -> {
                        assertThat(gone.getTarget()).contains(prefix + "a");
                        assertThat(gone.getReason()).isEqualTo("InterfaceGone");
                    });

            api.client().resources(SignedBpfProgram.class).withName(name).delete();
            await().until(() -> entry(name).isEmpty());
        } finally {
            Shell.quietly("ip", "link", "del", prefix + "a");
            Shell.quietly("ip", "link", "del", prefix + "b");
        }
    }

    private Optional<NodeProgramState> entry(String name) {
        return new ReportedStates(api.client(), NODE).entry(name);
    }
}
