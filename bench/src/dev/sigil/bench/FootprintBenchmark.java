package dev.sigil.bench;

import dev.sigil.agent.node.HostConfig;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.bpf.kernel.BpffsMount;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The agent's footprint (not a test): the kernel host with K programs loaded, then R drift repairs (a link pin
 * removed behind the agent's back, put back by {@code repairDrift}) and C load/unload cycles of one more program,
 * with the process's RSS, open fds and live heap (after a full collection) after the first W of each (the warm-up:
 * the JIT, metaspace and the heap settle) and at the end. Prints one Markdown row for the JVM flags it runs under
 * ({@code --label}); {@code bench/footprint.sh} runs it under each flag set measured. With {@code --trace N} it
 * also prints RSS every N iterations on stderr, and under {@code -XX:NativeMemoryTracking=summary} what the JVM's
 * own native memory did between the programs loaded and the end (NMT's summary.diff), on stderr.
 *
 * <pre>FootprintBenchmark --skeleton X.lskel.h --pin-root DIR --label FLAGS [--programs K] [--repairs R] [--cycles C]
 *     [--warmup W] [--trace N]</pre>
 */
public final class FootprintBenchmark {
    private FootprintBenchmark() {
    }

    /** What the process holds at one moment: RSS as the kernel counts it, open fds, heap live after a full GC. */
    private record Sample(long rssKib, long fds, long liveHeapKib) {
        static Sample take() throws IOException {
            long rss = ProcessMemory.rssKib();
            System.gc();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return new Sample(rss, fds.count(), heap.getUsed() / 1024);
            }
        }
    }

    /** One phase of repeated work: samples after the warm-up and at the end. */
    private record Phase(Sample warm, Sample end) {
        String columns() {
            return String.format(Locale.ROOT, "%.1f → %.1f | %+.1f | %d → %d | %.1f → %.1f", mib(warm.rssKib()),
                    mib(end.rssKib()), mib(end.rssKib() - warm.rssKib()), warm.fds(), end.fds(),
                    mib(warm.liveHeapKib()), mib(end.liveHeapKib()));
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(int iteration) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        var options = BenchOptions.parse(args);
        Path pinRoot = Path.of(BenchOptions.required(options, "--pin-root"));
        String label = BenchOptions.required(options, "--label");
        int programCount = Integer.parseInt(options.getOrDefault("--programs", "50"));
        int repairs = Integer.parseInt(options.getOrDefault("--repairs", "1000"));
        int cycles = Integer.parseInt(options.getOrDefault("--cycles", "1000"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "100"));
        int traceEvery = Integer.parseInt(options.getOrDefault("--trace", "0"));
        requireMoreThanWarmup("repair", repairs, warmup);
        requireMoreThanWarmup("cycle", cycles, warmup);
        BenchPrograms programs = BenchPrograms.sign(Path.of(BenchOptions.required(options, "--skeleton")));
        HostConfig config = new HostConfig(pinRoot, programs.trust(), Clock.systemUTC(), Duration.ofSeconds(30));

        long started = System.nanoTime();
        List<Path> pins = new ArrayList<>();
        Sample loaded;
        Phase repaired;
        Phase cycled;
        try (KernelProgramHost host = KernelProgramHost.start(config, BpffsMount.IfEmpty)) {
            try {
                for (int i = 0; i < programCount; i++) {
                    ResourceReport report = LoadBenchmark.requireAttached(host.apply(SpecTranslation.deployRequest(
                            programs.resource("footprint-" + i))));
                    pins.add(report.programs().getFirst().attached().getFirst().pin().orElseThrow());
                }
                loaded = Sample.take();
                boolean nativeMemoryTracked = NativeMemory.tracking();
                if (nativeMemoryTracked) {
                    NativeMemory.baseline();
                }
                repaired = repeat("repair", repairs, warmup, traceEvery, i -> {
                    Files.delete(pins.get(i % pins.size()));
                    List<ResourceReport> changed = host.repairDrift();
                    if (changed.size() != 1 || changed.getFirst().phase() != ResourceReport.Phase.Attached) {
                        throw new IllegalStateException("drift repair " + i + " did not repair exactly one program: " + changed);
                    }
                });
                SignedBpfProgram cycledResource = programs.resource("footprint-cycle");
                cycled = repeat("cycle", cycles, warmup, traceEvery, i -> {
                    LoadBenchmark.requireAttached(host.apply(SpecTranslation.deployRequest(cycledResource)));
                    host.unload("footprint-cycle");
                });
                if (nativeMemoryTracked) {
                    System.err.println("JVM native memory, " + programCount + " programs loaded → after the cycles:");
                    System.err.println(NativeMemory.summaryDiff());
                }
            } finally {
                // Every path, a failed repair or cycle included, leaves nothing loaded or pinned.
                host.unload("footprint-cycle");
                for (int i = 0; i < programCount; i++) {
                    host.unload("footprint-" + i);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "| %s | %.1f | %s | %s | %.0f s |%n", label, mib(loaded.rssKib()),
                repaired.columns(), cycled.columns(), seconds);
    }

    /** {@code count} runs of {@code step}, sampled after {@code warmup} of them and at the end. */
    private static Phase repeat(String name, int count, int warmup, int traceEvery, Step step) throws Exception {
        Sample warm = null;
        for (int i = 0; i < count; i++) {
            if (i == warmup) {
                warm = Sample.take();
            }
            if (traceEvery > 0 && i % traceEvery == 0) {
                System.err.printf(Locale.ROOT, "%s %d: RSS %.1f MiB%n", name, i, mib(ProcessMemory.rssKib()));
            }
            step.run(i);
        }
        return new Phase(warm, Sample.take());
    }

    /** Checked before anything is loaded: a warm-up that leaves no measured iteration is refused in one line. */
    private static void requireMoreThanWarmup(String name, int count, int warmup) {
        if (count <= warmup) {
            throw new IllegalArgumentException(name + ": " + count + " iterations leave nothing after a warm-up of " + warmup);
        }
    }

    private static double mib(long kib) {
        return kib / 1024.0;
    }
}
