package dev.sigil.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.sigil.agent.node.DeployStep;
import dev.sigil.agent.node.FailureCause;
import dev.sigil.agent.node.HostConfig;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.RunningProgram;
import dev.sigil.agent.testing.FakeKernel;
import dev.sigil.agent.testing.FakeProgramHost;
import dev.sigil.agent.testing.MetricSamples;
import dev.sigil.agent.testing.TestPrograms;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.bpf.sys.ProgInfo;
import dev.sigil.bpf.testing.FakeSyscallBridge;
import dev.sigil.bpf.testing.Features;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.ReasonCode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's metrics as Prometheus scrapes them, after hosts without a kernel applied, refused and repaired programs. */
class AgentMetricsTest {
    private final FakeKernel kernel = new FakeKernel();
    private final FakeSyscallBridge bridge = new FakeSyscallBridge();
    private final AgentMetrics metrics = new AgentMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), bridge);

    @AfterEach
    void close() {
        metrics.close();
    }

    /** Refuses resources named "forged" as the trust bundle would a bad signature. */
    private FakeProgramHost fakeHost() {
        return new FakeProgramHost(kernel, request -> request.name().startsWith("forged")
                ? Optional.of(new FakeProgramHost.Rejection(new FailureCause.Untrusted(ReasonCode.SignatureInvalid),
                        "signature does not verify"))
                : Optional.empty());
    }

    private ProgramHost observedHost() {
        return metrics.observe(fakeHost());
    }

    private static void apply(ProgramHost host, String name) {
        host.apply(SpecTranslation.deployRequest(TestPrograms.program(name, "loader of " + name, null)));
    }

    private MetricSamples scrape() {
        return MetricSamples.of(metrics.scrape());
    }

    @Test
    void countsProgramsByPhaseAndRejectionsByReasonCode() {
        FakeProgramHost fake = fakeHost();
        fake.failAttachOf("broken");
        ProgramHost host = metrics.observe(fake);
        apply(host, "counter");
        apply(host, "forged");
        apply(host, "forged");
        apply(host, "broken");

        MetricSamples samples = scrape();

        assertThat(samples.value("sigil_agent_programs{phase=\"Attached\"}")).isEqualTo(1);
        assertThat(samples.value("sigil_agent_programs{phase=\"Failed\"}")).isEqualTo(2);
        assertThat(samples.value("sigil_agent_programs{phase=\"Unloading\"}")).isZero();
        assertThat(samples.value("sigil_agent_rejections_total{reason=\"SignatureInvalid\"}")).isEqualTo(2);
        assertThat(samples.value("sigil_agent_rejections_total{reason=\"AttachFailed\"}")).isEqualTo(1);
        assertThat(samples.types()).containsEntry("sigil_agent_programs", "gauge")
                .containsEntry("sigil_agent_rejections_total", "counter");

        host.unload("counter");
        assertThat(scrape().value("sigil_agent_programs{phase=\"Attached\"}")).isZero();
    }

    @Test
    void countsDriftRepairsReadoptionsAndFailedStatusWrites() {
        ProgramHost first = observedHost();
        apply(first, "counter");
        apply(first, "other");
        kernel.detachLinks("counter");
        first.repairDrift();
        first.repairDrift();
        metrics.apiWriteFailed();
        assertThat(scrape().value("sigil_agent_readoptions_total")).isZero();

        // The agent restarts: the new host takes over both pinned resources.
        first.close();
        ProgramHost second = observedHost();
        second.adoptPinned();
        apply(second, "forged");

        MetricSamples samples = scrape();
        assertThat(samples.value("sigil_agent_drift_repairs_total")).isEqualTo(1);
        assertThat(samples.value("sigil_agent_readoptions_total")).isEqualTo(2);
        assertThat(samples.value("sigil_agent_api_write_failures_total")).isEqualTo(1);
        assertThat(samples.value("sigil_agent_programs{phase=\"Attached\"}")).as("the newest open host's programs")
                .isEqualTo(2);
        assertThat(samples.value("sigil_agent_programs{phase=\"Failed\"}")).isEqualTo(1);
    }

    @Test
    void timesEachStepAsAHistogramInSeconds() {
        metrics.stepTimer().took(DeployStep.Load, Duration.ofMillis(30));
        metrics.stepTimer().took(DeployStep.Load, Duration.ofMillis(300));

        MetricSamples samples = scrape();

        assertThat(samples.types()).containsEntry("sigil_agent_load_seconds", "histogram")
                .containsEntry("sigil_agent_verification_seconds", "histogram")
                .containsEntry("sigil_agent_attach_seconds", "histogram")
                .containsEntry("sigil_agent_pin_seconds", "histogram");
        assertThat(samples.value("sigil_agent_load_seconds_count")).isEqualTo(2);
        assertThat(samples.value("sigil_agent_load_seconds_sum")).isCloseTo(0.33, offset(1e-9));
        assertThat(samples.value("sigil_agent_load_seconds_bucket{le=\"0.025\"}")).isZero();
        assertThat(samples.value("sigil_agent_load_seconds_bucket{le=\"0.05\"}")).isEqualTo(1);
        assertThat(samples.value("sigil_agent_load_seconds_bucket{le=\"0.5\"}")).isEqualTo(2);
        assertThat(samples.value("sigil_agent_load_seconds_bucket{le=\"+Inf\"}")).isEqualTo(2);
        assertThat(samples.value("sigil_agent_pin_seconds_count")).isZero();
    }

    /** The steps are timed where the host runs them: a tampered bundle is verified, and nothing after that runs. */
    @Test
    void theHostTimesEachDeployStepItRuns(@TempDir Path pinRoot) {
        SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());
        bridge.mapHash = bundle.metadataSha256();
        bridge.mapSlots = 2;
        HostConfig config = new HostConfig(pinRoot, TestBundles.trust(), Clock.systemUTC(), Duration.ofSeconds(1))
                .withStepTimer(metrics.stepTimer());
        try (ProgramHost host = metrics.observe(new KernelProgramHost(config, bridge, Features.withoutKernelSignatures()))) {
            host.apply(SpecTranslation.deployRequest(TestResources.counterResource("counter", 1, bundle, Enforcement.Auto)));
            host.apply(SpecTranslation.deployRequest(TestResources.counterResource("forged", 1,
                    TestBundles.withMetadata(bundle, TestBundles.flipByte(bundle.metadata(), 100)), Enforcement.Auto)));
        }

        MetricSamples samples = scrape();
        assertThat(samples.value("sigil_agent_verification_seconds_count")).isEqualTo(2);
        for (String step : List.of("load", "attach", "pin")) {
            assertThat(samples.value("sigil_agent_" + step + "_seconds_count")).as(step).isEqualTo(1);
        }
        assertThat(samples.value("sigil_agent_rejections_total{reason=\"HashMismatch\"}")).isEqualTo(1);
    }

    @Test
    void readsTheKernelsRunStatisticsOfEachRunningProgramAndForgetsUnloadedOnes() {
        ProgramHost host = observedHost();
        apply(host, "counter");
        RunningProgram program = host.states().getFirst().programs().getFirst();
        bridge.programsById.put(program.programId(), new ProgInfo(17, program.programId(), program.tag(),
                program.name(), List.of(), 42, 1_500_000_000L));

        MetricSamples samples = scrape();

        String labels = "{program=\"count_sys_enter\",resource=\"counter\"}";
        assertThat(samples.value("sigil_program_run_count_total" + labels)).isEqualTo(42);
        assertThat(samples.value("sigil_program_run_time_seconds_total" + labels)).isEqualTo(1.5);
        assertThat(samples.types()).containsEntry("sigil_program_run_count_total", "counter")
                .containsEntry("sigil_program_run_time_seconds_total", "counter");

        host.unload("counter");
        assertThat(scrape().names()).noneMatch(name -> name.startsWith("sigil_program_run"));
        metrics.close();
        assertThat(bridge.calls).startsWith("enableStats");
        assertThat(bridge.openFds).as("the fds read by id, and the one keeping the statistics on").isEmpty();
    }

    @Test
    void aProgramGoneFromTheKernelIsLeftOutRatherThanReportedAsZero() {
        ProgramHost host = observedHost();
        apply(host, "counter");

        assertThat(scrape().names()).noneMatch(name -> name.startsWith("sigil_program_run"));
    }

    /** README.md's metrics table names exactly what the agent serves (sigil_agent_*, sigil_program_*). */
    @Test
    void theReadmeDocumentsEveryMetricTheAgentServes() throws IOException {
        ProgramHost host = observedHost();
        apply(host, "counter");
        apply(host, "forged");
        RunningProgram program = host.states().getFirst().programs().getFirst();
        bridge.programsById.put(program.programId(), new ProgInfo(17, program.programId(), program.tag(),
                program.name(), List.of(), 1, 1));

        Set<String> served = new TreeSet<>();
        for (String name : scrape().names()) {
            served.add(name.replaceFirst("_(bucket|count|sum|max)$", ""));
        }

        assertThat(served).isEqualTo(documentedAgentMetrics());
    }

    private static Set<String> documentedAgentMetrics() throws IOException {
        String readme = Files.readString(Path.of(System.getenv("SIGIL_ROOT"), "README.md"), StandardCharsets.UTF_8);
        String table = readme.substring(readme.indexOf("<!-- metrics:begin -->"), readme.indexOf("<!-- metrics:end -->"));
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("^\\| `(sigil_(agent|program)_[a-z0-9_]+)`", Pattern.MULTILINE).matcher(table);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
