package dev.sigil.bpf.sys;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * perf_event_open(2) arguments for the two kinds of event a BPF program links to (BPF_PERF_EVENT): a
 * tracepoint by its tracefs id, or a uprobe on a file offset. {@code type} is the PMU ({@code attr.type}),
 * {@code config} its config word, {@code path} what {@code attr.config1} points to ({@code uprobe_path}),
 * {@code config2} the probe offset; {@code pid} -1 for every process (then {@code cpu} is 0: a BPF program
 * on a tracepoint or uprobe runs on whichever CPU hits it), else the one process (then {@code cpu} is -1).
 */
public record PerfEventRequest(int type, long config, Optional<Path> path, long config2, int pid, int cpu) {
    /** {@code PERF_TYPE_TRACEPOINT} ({@code enum perf_type_id}). */
    public static final int TYPE_TRACEPOINT = 2;

    public PerfEventRequest {
        Objects.requireNonNull(path, "path");
    }

    /** A tracepoint event, on every process. */
    public static PerfEventRequest tracepoint(long id) {
        return new PerfEventRequest(TYPE_TRACEPOINT, id, Optional.empty(), 0, -1, 0);
    }

    /**
     * A uprobe at {@code offset} in {@code binary}. {@code pmuType}: the uprobe PMU's dynamic type;
     * {@code config}: its retprobe bit for a uretprobe, else 0.
     */
    public static PerfEventRequest uprobe(int pmuType, long config, Path binary, long offset, OptionalInt pid) {
        return new PerfEventRequest(pmuType, config, Optional.of(binary), offset, pid.orElse(-1), pid.isPresent() ? -1 : 0);
    }

    /** E.g. {@code tracepoint id 742} or {@code uprobe /usr/bin/x+0x1139}, for errors. */
    public String describe() {
        String event = path.map(binary -> "uprobe " + binary + "+0x" + Long.toHexString(config2))
                .orElse(type == TYPE_TRACEPOINT ? "tracepoint id " + config : "perf event type " + type);
        return pid >= 0 ? event + " (pid " + pid + ")" : event;
    }
}
