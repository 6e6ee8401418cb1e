package dev.sigil.operator.metrics;

import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.operator.conditions.ProgramHealth;
import dev.sigil.operator.nodes.NodeReports;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sigil's own gauges, next to JOSDK's reconcile counters and timers: {@code sigil_programs{phase}}
 * (programs by {@link ProgramHealth}), {@code sigil_nodes{phase}} (nodes reporting at least one
 * program in each {@link ProgramPhase}) and {@code sigil_operator_stale_nodes} (nodes whose agent stopped reporting),
 * all computed when scraped.
 */
public final class SigilMetrics {
    private final Map<String, ProgramHealth> programs = new ConcurrentHashMap<>();
    private final NodeReports nodes;

    /**
     * @param nodes the nodes' reports, read at scrape time; a scrape before the informers have filled them
     *     (the operator not started, not yet leader) counts nothing rather than failing
     */
    public SigilMetrics(MeterRegistry registry, NodeReports nodes) {
        this.nodes = nodes;
        for (ProgramHealth health : ProgramHealth.values()) {
            Gauge.builder("sigil.programs", () -> programs.values().stream().filter(health::equals).count())
                    .description("SignedBpfPrograms by phase")
                    .tag("phase", health.name())
                    .register(registry);
        }
        for (ProgramPhase phase : ProgramPhase.values()) {
            Gauge.builder("sigil.nodes", () -> nodes.nodesReporting(phase))
                    .description("Nodes reporting at least one program in the phase")
                    .tag("phase", phase.name())
                    .register(registry);
        }
        Gauge.builder("sigil.operator.stale.nodes", nodes::staleNodes)
                .description("Nodes whose agent has not reported within the allowed number of its heartbeat intervals")
                .register(registry);
    }

    public void programObserved(String program, ProgramHealth health) {
        programs.put(program, health);
    }

    public void programDeleted(String program) {
        programs.remove(program);
    }
}
