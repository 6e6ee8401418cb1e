package dev.sigil.agent.metrics;

import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.node.RunningProgram;
import dev.sigil.bpf.sys.BpfStatsType;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.sys.ProgInfo;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.sys.SyscallException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's own counters of each running program ({@code bpf_prog_info.run_cnt} and {@code run_time_ns}),
 * labelled by resource and program: read by program id when scraped, so a program replaced or unloaded meanwhile
 * is simply gone. The kernel counts only while run statistics are on: {@link #enable()} holds them on until
 * {@link #close()}.
 */
final class ProgramRunStats implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramRunStats.class);
    private static final double NANOS_PER_SECOND = 1e9;

    private record Labels(String resource, String program) {
    }

    /** The latest reading of one program; its meters read it. */
    private static final class Reading {
        volatile long runCount;
        volatile long runTimeNanos;
        FunctionCounter count;
        FunctionCounter time;
    }

    private final MeterRegistry registry;
    private final SyscallBridge bridge;
    private final Map<Labels, Reading> readings = new HashMap<>();
    private Fd statsOn;

    ProgramRunStats(MeterRegistry registry, SyscallBridge bridge) {
        this.registry = registry;
        this.bridge = bridge;
    }

    /** BPF_ENABLE_STATS; where the kernel refuses, the counters show what it counts for whoever else turned them on. */
    synchronized void enable() {
        try {
            statsOn = bridge.enableStats(BpfStatsType.STATS_RUN_TIME);
        } catch (SyscallException e) {
            LOG.warn("Cannot switch on the kernel's BPF run statistics ({}): sigil_program_run_* count only while "
                    + "something else has them on (sysctl kernel.bpf_stats_enabled)", e.getMessage());
        }
    }

    /** Reads every running program of {@code reports} now; meters of programs no longer running are removed. */
    synchronized void refresh(List<ResourceReport> reports) {
        Set<Labels> running = new HashSet<>();
        for (ResourceReport report : reports) {
            for (RunningProgram program : report.programs()) {
                Labels labels = new Labels(report.name(), program.name());
                Optional<ProgInfo> info = read(program.programId());
                if (info.isPresent() && running.add(labels)) {
                    Reading reading = readings.computeIfAbsent(labels, this::register);
                    reading.runCount = info.get().runCount();
                    reading.runTimeNanos = info.get().runTimeNanos();
                }
            }
        }
        readings.entrySet().removeIf(entry -> {
            if (running.contains(entry.getKey())) {
                return false;
            }
            registry.remove(entry.getValue().count);
            registry.remove(entry.getValue().time);
            return true;
        });
    }

    private Optional<ProgInfo> read(int programId) {
        try {
            Optional<Fd> program = bridge.fdById(ObjectKind.PROGRAM, programId);
            if (program.isEmpty()) {
                return Optional.empty();
            }
            try (Fd fd = program.get()) {
                return Optional.of(bridge.progInfo(fd));
            }
        } catch (SyscallException e) {
            LOG.debug("Cannot read program {}: {}", programId, e.getMessage());
            return Optional.empty();
        }
    }

    private Reading register(Labels labels) {
        Reading reading = new Reading();
        reading.count = FunctionCounter.builder("sigil.program.run.count", reading, r -> r.runCount)
                .description("The kernel's run count of the program (BPF_ENABLE_STATS)")
                .tags("resource", labels.resource(), "program", labels.program())
                .register(registry);
        reading.time = FunctionCounter.builder("sigil.program.run.time", reading, r -> r.runTimeNanos / NANOS_PER_SECOND)
                .description("The kernel's total run time of the program (BPF_ENABLE_STATS)")
                .baseUnit("seconds")
                .tags("resource", labels.resource(), "program", labels.program())
                .register(registry);
        return reading;
    }

    @Override
    public synchronized void close() {
        if (statsOn != null) {
            statsOn.close();
        }
    }
}
