package dev.sigil.bench.operator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's figures: one row per phase, then the operator's heap. */
final class Report {
    private static final long MIB = 1024 * 1024;
    private static final String PROGRAM_KIND = "SignedBpfProgram";
    private static final String NODE_KIND = "Node";

    private final Workload workload;
    private final List<String> jvmFlags;
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String heap = "";

    Report(Workload workload, List<String> jvmFlags) {
        this.workload = workload;
        this.jvmFlags = jvmFlags;
    }

    void populated(Duration took, long writes, double meanWriteMillis) {
        notes.add(String.format(Locale.ROOT, "populating the mock took %s: %d simulated agent writes, %.1f ms each on average"
                + " (%.0f writes/s)", seconds(took), writes, meanWriteMillis, writes / (took.toNanos() / 1e9)));
    }

    /** What one LIST of every node state costs the mock (and this JVM's client), outside the operator. */
    void listed(int items, long jsonBytes, Duration took) {
        notes.add(String.format(Locale.ROOT, "one LIST of all %d BpfNodeStates (%.1f MiB of JSON) took %s from the mock"
                + " (server and this JVM's client together)", items, jsonBytes / (double) MIB, seconds(took)));
    }

    void operatorStarted(OperatorProcess operator) {
        notes.add("operator JVM flags: " + String.join(" ", jvmFlags) + "; " + machine());
    }

    /** The machine is shared: its load says how much of its two cores the run had. */
    void finished() {
        notes.add("at the end: " + machine());
    }

    private static String machine() {
        String load;
        try {
            load = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            load = "unknown (" + e.getMessage() + ")";
        }
        return Runtime.getRuntime().availableProcessors() + " cores, load average " + load;
    }

    Phase begin(String label, OperatorProcess operator) throws IOException {
        return new Phase(label, operator.stats(), OperatorScaleBenchmark.driverCpuNanos(), System.nanoTime());
    }

    void heap(OperatorProcess.Stats stats, long liveBytes) {
        heap = String.format(Locale.ROOT, "operator heap: %d MiB live after a full GC at the end, at most %d MiB in use"
                + " after any GC during the run, limit %d MiB; %d GCs, %.1f s in GC", liveBytes / MIB,
                stats.number("peakHeapAfterGcBytes") / MIB, stats.number("heapMaxBytes") / MIB, stats.number("gcCount"),
                stats.number("gcMillis") / 1000.0);
    }

    void print(PrintStream out) {
        out.print(this);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Operator at scale: %d SignedBpfPrograms, %d nodes in %d pools,"
                + " %d cluster-wide programs, %d (program, node) pairs%n%n", workload.programs(), workload.nodes(),
                workload.pools(), workload.clusterWide(), workload.pairs()));
        text.append("| phase | time | operator CPU | of it in reconciler threads | program reconciles | node reconciles"
                + " | operator API requests | mock + agents CPU |\n|---|---|---|---|---|---|---|---|\n");
        rows.forEach(row -> text.append(row).append('\n'));
        text.append('\n');
        notes.forEach(note -> text.append("- ").append(note).append('\n'));
        text.append("- ").append(heap).append('\n');
        return text.toString();
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f s", duration.toNanos() / 1e9);
    }

    /** One measured phase: the operator's counters before it, read again when it is done. */
    final class Phase {
        private final String label;
        private final OperatorProcess.Stats before;
        private final long driverCpuBefore;
        private final long startNanos;

        private Phase(String label, OperatorProcess.Stats before, long driverCpuBefore, long startNanos) {
            this.label = label;
            this.before = before;
            this.driverCpuBefore = driverCpuBefore;
            this.startNanos = startNanos;
        }

        void note(String note) {
            notes.add(label + ": " + note);
        }

        void done(Duration measured, OperatorProcess operator) {
            try {
                OperatorProcess.Stats after = operator.stats();
                double wall = (System.nanoTime() - startNanos) / 1e9;
                long requests = after.sum("requests") - before.sum("requests");
                String row = String.format(Locale.ROOT, "| %s | **%s** | %.2f s | %.2f s | %d | %d | %d (%.0f/s) | %.2f s |", label,
                        seconds(measured),
                        (after.number("processCpuNanos") - before.number("processCpuNanos")) / 1e9,
                        (after.in("threadCpuNanos", "reconcilers") - before.in("threadCpuNanos", "reconcilers")) / 1e9,
                        after.in("reconciles", PROGRAM_KIND) - before.in("reconciles", PROGRAM_KIND),
                        after.in("reconciles", NODE_KIND) - before.in("reconciles", NODE_KIND),
                        requests, requests / wall,
                        (OperatorScaleBenchmark.driverCpuNanos() - driverCpuBefore) / 1e9);
                rows.add(row);
                System.err.println(row + " requests " + after.values().get("requests"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
