package dev.sigil.bpf.kernel;

import dev.sigil.bpf.sys.BpfAttachType;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.PerfEventRequest;
import dev.sigil.bpf.sys.ProgLoadRetry;
import dev.sigil.bpf.sys.ProgramType;
import dev.sigil.bpf.sys.SyscallBridge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The probe's checks for the kinds that link through perf events or uprobes: a classic tracepoint, a uprobe or
 * uretprobe, a uprobe_multi link. Like every check of {@link KernelProbe}, each makes the real call with
 * throwaway objects and leaves nothing behind.
 */
final class PerfEventProbes {
    /** x86 {@code ret}: what the probe's scratch "binary" holds, though nothing ever runs it. */
    private static final byte RET = (byte) 0xc3;
    /** A tracepoint every kernel with tracepoints has and that fires rarely. */
    private static final String PROBE_TRACEPOINT_CATEGORY = "sched";
    private static final String PROBE_CLASSIC_TRACEPOINT = "sched_process_fork";

    private final SyscallBridge bridge;
    private final Tracefs tracefs;

    PerfEventProbes(SyscallBridge bridge, Tracefs tracefs) {
        this.bridge = bridge;
        this.tracefs = tracefs;
    }

    /** A perf-event link on a classic tracepoint, its id read from tracefs (mounted for the read if need be). */
    Support tracepoint() throws IOException {
        Optional<Long> id = tracefs.tracepointId(PROBE_TRACEPOINT_CATEGORY, PROBE_CLASSIC_TRACEPOINT);
        if (id.isEmpty()) {
            return Support.unsupported("tracefs has no tracepoint " + PROBE_TRACEPOINT_CATEGORY + "/" + PROBE_CLASSIC_TRACEPOINT);
        }
        try (Fd program = ProgLoadRetry.load(bridge, KernelProbe.program(ProgramType.TRACEPOINT, 0, 0, 0, 0, Optional.empty()));
             Fd event = bridge.perfEventOpen(PerfEventRequest.tracepoint(id.get()));
             Fd link = bridge.linkCreate(program, event.number(), BpfAttachType.PERF_EVENT, 0)) {
            return Support.supported("perf-event link on tracepoint " + PROBE_TRACEPOINT_CATEGORY + "/"
                    + PROBE_CLASSIC_TRACEPOINT);
        }
    }

    /**
     * A perf-event link on a uprobe (or uretprobe) at offset 0 of a scratch file of the probe's own: no
     * process maps it, so no breakpoint is ever written anywhere.
     */
    Support uprobe(boolean retprobe) throws IOException {
        UprobePmu pmu = UprobePmu.read();
        return onScratchFile(file -> {
            try (Fd program = ProgLoadRetry.load(bridge, KernelProbe.program(ProgramType.KPROBE, 0, 0, 0, 0, Optional.empty()));
                 Fd event = bridge.perfEventOpen(PerfEventRequest.uprobe(pmu.type(), retprobe ? pmu.retprobeConfig() : 0,
                         file, 0, OptionalInt.empty()));
                 Fd link = bridge.linkCreate(program, event.number(), BpfAttachType.PERF_EVENT, 0)) {
                return Support.supported("perf-event link on a " + (retprobe ? "uretprobe" : "uprobe") + " (PMU type "
                        + pmu.type() + ")");
            }
        });
    }

    /** A uprobe_multi link (Linux 6.6), on the same kind of scratch file. */
    Support uprobeMulti() throws IOException {
        return onScratchFile(file -> {
            try (Fd program = ProgLoadRetry.load(bridge, KernelProbe.program(ProgramType.KPROBE, 0, 0,
                    BpfAttachType.TRACE_UPROBE_MULTI.code(), 0, Optional.empty()));
                 Fd link = bridge.uprobeMultiLinkCreate(program, file, List.of(0L), false, OptionalInt.empty())) {
                return Support.supported("uprobe_multi link");
            }
        });
    }

    private static Support onScratchFile(Function<Path, Support> check) throws IOException {
        Path file = Files.createTempFile("sigil-probe-", ".bin");
        try {
            Files.write(file, new byte[] {RET, RET, RET, RET});
            return check.apply(file);
        } finally {
            Files.delete(file);
        }
    }
}
