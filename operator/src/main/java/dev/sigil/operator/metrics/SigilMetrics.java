package dev.sigil.operator.metrics;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.operator.signedbpfprogram.ProgramHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Sigil's own gauges, next to JOSDK's reconcile counters and timers: {@code sigil_programs{phase}}
 * (programs by {@link ProgramHealth}) and {@code sigil_nodes{phase}} (nodes reporting at least one
 * program in each {@link ProgramPhase}), both computed when scraped.
 */
public final class SigilMetrics {
    private final Map<String, ProgramHealth> programs = new ConcurrentHashMap<>();
    private final AtomicReference<Supplier<Stream<BpfNodeState>>> nodeStates = new AtomicReference<>(Stream::empty);

    public SigilMetrics(MeterRegistry registry) {
        for (ProgramHealth health : ProgramHealth.values()) {
            Gauge.builder("sigil.programs", () -> programs.values().stream().filter(health::equals).count())
                    .description("SignedBpfPrograms by phase")
                    .tag("phase", health.name())
                    .register(registry);
        }
        for (ProgramPhase phase : ProgramPhase.values()) {
            Gauge.builder("sigil.nodes", () -> nodesReporting(phase))
                    .description("Nodes reporting at least one program in the phase")
                    .tag("phase", phase.name())
                    .register(registry);
        }
    }

    public void programObserved(String program, ProgramHealth health) {
        programs.put(program, health);
    }

    public void programDeleted(String program) {
        programs.remove(program);
    }

    /** Where node states are read from at scrape time: the operator's BpfNodeState informer cache. */
    public void readNodeStatesFrom(Supplier<Stream<BpfNodeState>> source) {
        nodeStates.set(source);
    }

    private long nodesReporting(ProgramPhase phase) {
        return nodeStates.get().get()
                .filter(state -> state.getStatus() != null)
                .filter(state -> state.getStatus().getPrograms().stream()
                        .map(NodeProgramState::getPhase)
                        .filter(Objects::nonNull)
                        .anyMatch(phase::equals))
                .count();
    }
}
