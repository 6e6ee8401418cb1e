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
 * with the process's RSS, open fds and live heap (after a full collection) at the start and end of each. Prints
 * one Markdown row for the JVM flags it runs under ({@code --label}); {@code bench/footprint.sh} runs it under
 * each flag set measured.
 *
 * <pre>FootprintBenchmark --skeleton X.lskel.h --pin-root DIR --label FLAGS [--programs K] [--repairs R] [--cycles C]</pre>
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

    public static void main(String[] args) throws Exception {
        var options = BenchOptions.parse(args);
        Path pinRoot = Path.of(BenchOptions.required(options, "--pin-root"));
        String label = BenchOptions.required(options, "--label");
        int programCount = Integer.parseInt(options.getOrDefault("--programs", "50"));
        int repairs = Integer.parseInt(options.getOrDefault("--repairs", "1000"));
        int cycles = Integer.parseInt(options.getOrDefault("--cycles", "1000"));
        BenchPrograms programs = BenchPrograms.sign(Path.of(BenchOptions.required(options, "--skeleton")));
        HostConfig config = new HostConfig(pinRoot, programs.trust(), Clock.systemUTC(), Duration.ofSeconds(30));

        long started = System.nanoTime();
        List<Path> pins = new ArrayList<>();
        Sample loaded;
        Sample repaired;
        Sample cycled;
        try (KernelProgramHost host = KernelProgramHost.start(config, BpffsMount.IfEmpty)) {
            for (int i = 0; i < programCount; i++) {
                ResourceReport report = LoadBenchmark.requireAttached(host.apply(SpecTranslation.deployRequest(
                        programs.resource("footprint-" + i))));
                pins.add(report.programs().getFirst().attached().getFirst().pin().orElseThrow());
            }
            loaded = Sample.take();
            for (int i = 0; i < repairs; i++) {
                Files.delete(pins.get(i % pins.size()));
                List<ResourceReport> changed = host.repairDrift();
                if (changed.size() != 1 || changed.getFirst().phase() != ResourceReport.Phase.Attached) {
                    throw new IllegalStateException("drift repair " + i + " did not repair exactly one program: " + changed);
                }
            }
            repaired = Sample.take();
            SignedBpfProgram cycledResource = programs.resource("footprint-cycle");
            for (int i = 0; i < cycles; i++) {
                LoadBenchmark.requireAttached(host.apply(SpecTranslation.deployRequest(cycledResource)));
                host.unload("footprint-cycle");
            }
            cycled = Sample.take();
            for (int i = 0; i < programCount; i++) {
                host.unload("footprint-" + i);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f → %.1f | %d → %d | %.1f → %.1f | %.1f → %.1f | %d → %d | %.1f → %.1f | %.0f s |%n",
                label, mib(loaded.rssKib()), mib(loaded.rssKib()), mib(repaired.rssKib()), loaded.fds(), repaired.fds(),
                mib(loaded.liveHeapKib()), mib(repaired.liveHeapKib()), mib(repaired.rssKib()), mib(cycled.rssKib()),
                repaired.fds(), cycled.fds(), mib(repaired.liveHeapKib()), mib(cycled.liveHeapKib()), seconds);
    }

    private static double mib(long kib) {
        return kib / 1024.0;
    }
}
