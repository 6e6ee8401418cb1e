package dev.sigil.agent.metrics;

import dev.sigil.agent.node.DeployStep;
import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.node.StepTimer;
import dev.sigil.agent.translate.StatusTranslation;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node agent's metrics (README, "Metrics"), recorded in one place each: step latencies from the host's
 * {@link StepTimer}, rejections, re-adoptions and drift repairs from the reports the observed hosts return
 * ({@link #observe}), programs by phase and the kernel's run statistics read from the newest open host when
 * scraped, and failed status writes from the cluster agent. Owns the fd that keeps the kernel's run statistics on.
 */
public final class AgentMetrics implements AutoCloseable {
    /** From a cached re-verification (well under a millisecond) to a cold load on a busy node. */
    private static final Duration[] STEP_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry;
    private final Map<DeployStep, Timer> steps = new EnumMap<>(DeployStep.class);
    private final Counter readoptions;
    private final Counter driftRepairs;
    private final Counter apiWriteFailures;
    private final ProgramRunStats runStats;
    private final List<MeteredProgramHost> openHosts = new CopyOnWriteArrayList<>();

    /** {@code bridge}: where the kernel's run statistics are switched on (until {@link #close()}) and read. */
    public AgentMetrics(PrometheusMeterRegistry registry, SyscallBridge bridge) {
        this.registry = registry;
        for (DeployStep step : DeployStep.values()) {
            steps.put(step, Timer.builder("sigil.agent." + step.name().toLowerCase(Locale.ROOT))
                    .description(description(step))
                    .serviceLevelObjectives(STEP_BUCKETS)
                    .register(registry));
        }
        for (ProgramPhase phase : ProgramPhase.values()) {
            Gauge.builder("sigil.agent.programs", () -> programsIn(phase))
                    .description("Programs on this node by phase")
                    .tag("phase", phase.name())
                    .register(registry);
        }
        readoptions = Counter.builder("sigil.agent.readoptions")
                .description("Pinned programs taken over from an earlier agent or host").register(registry);
        driftRepairs = Counter.builder("sigil.agent.drift.repairs")
                .description("Resources whose detached links or removed pins were put back").register(registry);
        apiWriteFailures = Counter.builder("sigil.agent.api.write.failures")
                .description("BpfNodeState writes that failed").register(registry);
        runStats = new ProgramRunStats(registry, bridge);
        runStats.enable();
    }

    /** The agent's metrics on this machine's kernel. */
    public static AgentMetrics onThisKernel() {
        return new AgentMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), LinuxSyscallBridge.create());
    }

    private static String description(DeployStep step) {
        return switch (step) {
            case Verification -> "Signature, chain, hash and intent checks per apply";
            case Load -> "The loader protocol, map create to program fds";
            case Attach -> "Attaching one program";
            case Pin -> "Pinning a generation's links, maps and record";
        };
    }

    /** Where hosts tell how long each deploy step took. */
    public StepTimer stepTimer() {
        return (step, elapsed) -> steps.get(step).record(elapsed);
    }

    /** {@code host}, its reports counted here; the newest open one is the node's, for the gauges. */
    public ProgramHost observe(ProgramHost host) {
        MeteredProgramHost metered = new MeteredProgramHost(host, this);
        openHosts.add(metered);
        return metered;
    }

    /** A BpfNodeState write failed (after the writer's own retries). */
    public void apiWriteFailed() {
        apiWriteFailures.increment();
    }

    /** Every metric in Prometheus' text format (0.0.4), the kernel's run statistics read now. */
    public String scrape() {
        runStats.refresh(nodeReports());
        return registry.scrape();
    }

    void applied(ResourceReport report) {
        if (report.phase() == ResourceReport.Phase.Failed && report.cause().isPresent()) {
            Counter.builder("sigil.agent.rejections")
                    .description("Applies refused or failed on this node, by reason code")
                    .tag("reason", StatusTranslation.reason(report.cause().get()))
                    .register(registry)
                    .increment();
        }
    }

    void adopted(List<ResourceReport> reports) {
        readoptions.increment(count(reports, ResourceReport.Phase.Attached));
    }

    void repaired(List<ResourceReport> reports) {
        driftRepairs.increment(count(reports, ResourceReport.Phase.Attached));
    }

    void closed(MeteredProgramHost host) {
        openHosts.remove(host);
    }

    private static long count(List<ResourceReport> reports, ResourceReport.Phase phase) {
        return reports.stream().filter(report -> report.phase() == phase).count();
    }

    /** The newest open host's latest reports: a host replaced for a new trust bundle is closed after its successor opens. */
    private List<ResourceReport> nodeReports() {
        List<MeteredProgramHost> hosts = List.copyOf(openHosts);
        return hosts.isEmpty() ? List.of() : hosts.getLast().latest();
    }

    private long programsIn(ProgramPhase phase) {
        return nodeReports().stream().filter(report -> StatusTranslation.phase(report.phase()) == phase).count();
    }

    /** Turns the kernel's run statistics off again (unless someone else holds them on). */
    @Override
    public void close() {
        runStats.close();
    }
}
