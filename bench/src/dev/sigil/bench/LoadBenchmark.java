package dev.sigil.bench;

import dev.sigil.agent.node.DeployRequest;
import dev.sigil.agent.node.HostConfig;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.api.SpecIntents;
import dev.sigil.api.SpecVerifier;
import dev.sigil.bench.PhaseClock.Phases;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.kernel.KernelProbe;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.AttachHint;
import dev.sigil.signing.BundleSigner;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.VerificationException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Sigil's load-path benchmark (not a test): verify+load+attach+pin through {@link KernelProgramHost}
 * against the C light skeleton's own loader, on the same skeleton, unloading between iterations.
 * The two alternate in blocks, so a busy machine slows both alike. Each apply is split into its phases
 * by {@link PhaseClock}; the like-for-like ratio compares only what both sides do (load and attach), the
 * full-apply ratio everything the agent does. Both are taken from wall time and from the thread's CPU time (user +
 * system), which a busy machine's wait for a core does not inflate. Prints one table.
 * {@code bench/run.sh} builds everything and runs it as root.
 *
 * <pre>LoadBenchmark --skeleton X.lskel.h --c-driver lskel_bench --pin-root DIR [--iterations N] [--warmup W] [--rss-programs K]</pre>
 */
public final class LoadBenchmark {
    private static final double LOAD_RATIO_TARGET = 1.2;
    private static final double FULL_APPLY_RATIO_TARGET = 2.0;
    private static final double VERIFY_TARGET_MS = 5.0;
    private static final int BLOCK = 10;

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchOptions.parse(args);
        Path skeletonFile = Path.of(BenchOptions.required(options, "--skeleton"));
        Path cDriver = Path.of(BenchOptions.required(options, "--c-driver"));
        Path pinRoot = Path.of(BenchOptions.required(options, "--pin-root"));
        int iterations = Integer.parseInt(options.getOrDefault("--iterations", "200"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "50"));
        int rssPrograms = Integer.parseInt(options.getOrDefault("--rss-programs", "50"));

        BenchPrograms programs = BenchPrograms.sign(skeletonFile);
        TrustBundle trust = programs.trust();

        // The whole check a node makes: signed pieces, signed intent, attach points against the signed metadata.
        SpecVerifier verifier = new SpecVerifier(trust, Clock.systemUTC());
        SignedBpfProgramSpec verified = programs.resource("bench").getSpec();
        for (int i = 0; i < warmup; i++) {
            verifier.verify(verified);
        }
        List<Double> verify = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            verifier.verify(verified);
            verify.add(millisSince(start));
        }

        long rssIdle;
        long rssLoaded;
        double coldApply;
        AppliedEnforcement enforcement;
        List<Double> warmupApply = new ArrayList<>();
        List<Phases> apply = new ArrayList<>();
        List<CSample> c = new ArrayList<>();
        PhaseClock clock = new PhaseClock(LinuxSyscallBridge.create());
        HostConfig config = new HostConfig(pinRoot, trust, Clock.systemUTC(), Duration.ofSeconds(30))
                .withStepTimer(clock.stepTimer());
        // KernelProgramHost.start with the phase clock between the host and the kernel. Probes are lazy; they run
        // here, before any apply is timed, as they all ran at start-up before they were, so every figure compares.
        KernelFeatures features = new KernelProbe(clock, pinRoot).features();
        features.bpffs();
        features.attachTypes();
        features.loaderHashV1();
        features.signatureVerification();
        try (KernelProgramHost host = new KernelProgramHost(config, clock, features)) {
            SignedBpfProgram resource = programs.resource("bench");
            TimedApply cold = timedApply(host, clock, resource);
            enforcement = cold.enforcement();
            coldApply = cold.phases().total();
            // Before the latency runs grow the heap. The first full collections after start-up return the
            // probe's BTF parse to the OS; settle once before measuring so that does not count as the programs'.
            settledRssKib();
            for (int i = 0; i < rssPrograms; i++) {
                requireAttached(host.apply(SpecTranslation.deployRequest(programs.resource("bench-rss-" + i))));
            }
            rssLoaded = settledRssKib();
            for (int i = 0; i < rssPrograms; i++) {
                host.unload("bench-rss-" + i);
            }
            rssIdle = settledRssKib();
            for (int i = 0; i < warmup; i++) {
                warmupApply.add(timedApply(host, clock, resource).phases().total());
            }
            runC(cDriver, 1, warmup);
            for (int done = 0; done < iterations; done += BLOCK) {
                int block = Math.min(BLOCK, iterations - done);
                c.addAll(runC(cDriver, block, 0));
                for (int i = 0; i < block; i++) {
                    apply.add(timedApply(host, clock, resource).phases());
                }
            }
        }

        print(skeletonFile, iterations, warmup, enforcement, c, apply, verify, coldApply, warmupApply, rssIdle, rssLoaded,
                rssPrograms);
    }

    /** One C load + attach: wall and CPU milliseconds. */
    private record CSample(double wall, double cpu) {
    }

    /** Runs the C driver; its samples are wall and CPU microseconds, one pair per line. */
    private static List<CSample> runC(Path driver, int iterations, int warmup) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(driver.toString(), Integer.toString(iterations), Integer.toString(warmup))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<CSample> samples = new String(process.getInputStream().readAllBytes()).lines()
                .filter(line -> !line.isBlank())
                .map(line -> line.trim().split(" "))
                .map(pair -> new CSample(Double.parseDouble(pair[0]) / 1000.0, Double.parseDouble(pair[1]) / 1000.0))
                .toList();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(driver + " failed with exit status " + process.exitValue());
        }
        return samples;
    }

    /** One timed apply: its phases and the enforcement it was loaded with. */
    private record TimedApply(Phases phases, AppliedEnforcement enforcement) {
    }

    /**
     * Times one apply, phase by phase, from the resource as the agent receives it (translated into the host's
     * request each time, as the agent does); the unload that follows is not timed, as C's destroy is not.
     */
    private static TimedApply timedApply(KernelProgramHost host, PhaseClock clock, SignedBpfProgram resource) {
        clock.start();
        DeployRequest request = SpecTranslation.deployRequest(resource);
        clock.translated();
        ResourceReport report = host.apply(request);
        Phases phases = clock.stop();
        requireAttached(report);
        host.unload(resource.getMetadata().getName());
        return new TimedApply(phases, report.enforcement().orElseThrow());
    }

    static ResourceReport requireAttached(ResourceReport report) {
        if (report.phase() != ResourceReport.Phase.Attached) {
            throw new IllegalStateException(report.name() + " did not attach: " + report.cause().orElse(null) + ": "
                    + report.message().orElse(""));
        }
        return report;
    }


    private static void print(Path skeleton, int iterations, int warmup, AppliedEnforcement enforcement,
            List<CSample> cSamples, List<Phases> apply, List<Double> verify, double coldApply, List<Double> warmupApply, long rssIdle,
            long rssLoaded, int rssPrograms) {
        List<Double> loadAndAttach = column(apply, Phases::loadAndAttach);
        List<Double> toFirstPin = column(apply, Phases::toFirstPin);
        List<Double> toFirstPinCpu = column(apply, Phases::toFirstPinCpu);
        List<Double> total = column(apply, Phases::total);
        List<Double> loadAndAttachCpu = column(apply, Phases::loadAndAttachCpu);
        List<Double> totalCpu = column(apply, Phases::totalCpu);
        List<Double> c = cSamples.stream().map(CSample::wall).toList();
        List<Double> cCpu = cSamples.stream().map(CSample::cpu).toList();
        double likeForLike = percentile(loadAndAttach, 50) / percentile(c, 50);
        double fullApply = percentile(total, 50) / percentile(c, 50);
        double likeForLikeCpu = percentile(loadAndAttachCpu, 50) / percentile(cCpu, 50);
        double fullApplyCpu = percentile(totalCpu, 50) / percentile(cCpu, 50);
        double verifyMedian = percentile(verify, 50);
        System.out.printf(Locale.ROOT, "%nSigil load path: %s, Linux %s, %s enforcement, %d iterations each (after %d warm-up),"
                + " unload in between%n%n", skeleton.getFileName(), System.getProperty("os.version"), enforcement, iterations,
                warmup);
        System.out.printf(Locale.ROOT, "| %-60s | %9s | %9s |%n", "", "median", "p99");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%n", "-".repeat(62), "-".repeat(11), "-".repeat(11));
        row("C light skeleton: load + attach", c);
        row("Java: translate (resource -> the host's deploy request)", column(apply, Phases::translate));
        row("Java: verify (signature, chain, hashes; remembered)", column(apply, Phases::verify));
        row("Java: loader protocol (map create -> prog run -> fds)", column(apply, Phases::loader));
        row("Java: attach (with program name and id checks)", column(apply, Phases::attach));
        row("Java: pin (map ids, directory, links, maps, record), state", column(apply, Phases::pin));
        row("Java: load + attach (loader protocol + attach)", loadAndAttach);
        row("Java: full apply (translate + verify + load + attach + pin)", total);
        ratio("Java / C, load + attach (target <= " + LOAD_RATIO_TARGET + "x)", loadAndAttach, c);
        ratio("Java / C, full apply (target <= " + FULL_APPLY_RATIO_TARGET + "x; C neither verifies nor pins)", total, c);
        row("C light skeleton: load + attach, CPU time", cCpu);
        row("Java: load + attach, CPU time", loadAndAttachCpu);
        row("Java: full apply, CPU time", totalCpu);
        ratio("Java / C, load + attach, CPU time", loadAndAttachCpu, cCpu);
        ratio("Java / C, full apply, CPU time", totalCpu, cCpu);
        row("Java: load + attach to the first pin (old boundary)", toFirstPin);
        row("Java: load + attach to the first pin (old boundary), CPU", toFirstPinCpu);
        ratio("Java / C, load + attach to the first pin (old boundary)", toFirstPin, c);
        ratio("Java / C, load + attach to the first pin (old), CPU time", toFirstPinCpu, cCpu);
        row("Java: verification alone (target <= " + VERIFY_TARGET_MS + " ms)", verify);
        System.out.printf(Locale.ROOT, "%nPhase rows are per-apply splits; each column's medians need not add up to the total's.%n");
        System.out.printf(Locale.ROOT, "%n");
        summary("load + attach", loadAndAttachCpu, loadAndAttach, cCpu, c, LOAD_RATIO_TARGET);
        summary("full apply", totalCpu, total, cCpu, c, FULL_APPLY_RATIO_TARGET);
        System.out.printf(Locale.ROOT, "%n");
        System.out.printf(Locale.ROOT, "JVM warm-up (not in the rows above): first apply %.2f ms; %d warm-up applies median %.2f ms, p99 %.2f ms%n",
                coldApply, warmupApply.size(), percentile(warmupApply, 50), percentile(warmupApply, 99));
        System.out.printf(Locale.ROOT, "Agent RSS (default JVM heap settings, after full GC): %.1f MiB with %d programs loaded and attached, %.1f MiB after unloading them%n",
                rssLoaded / 1024.0, rssPrograms, rssIdle / 1024.0);
        System.out.printf(Locale.ROOT, "Targets: load + attach %s (%.2fx wall, %.2fx CPU), full apply %s (%.2fx wall, %.2fx CPU),"
                + " verification %s (%.3f ms median)%n", met(likeForLike, LOAD_RATIO_TARGET), likeForLike, likeForLikeCpu,
                met(fullApply, FULL_APPLY_RATIO_TARGET), fullApply, fullApplyCpu, met(verifyMedian, VERIFY_TARGET_MS),
                verifyMedian);
        System.out.printf(Locale.ROOT, "Machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
                loadAverage());
    }

    /** One line per ratio: Java / C, CPU time and wall clock, median and p99 each. */
    private static void summary(String label, List<Double> javaCpu, List<Double> javaWall, List<Double> cCpu,
            List<Double> cWall, double target) {
        System.out.printf(Locale.ROOT, "Java / C, %-13s (target <= %.1fx): CPU median %.2fx, p99 %.2fx; wall median %.2fx, p99 %.2fx%n",
                label, target, percentile(javaCpu, 50) / percentile(cCpu, 50), percentile(javaCpu, 99) / percentile(cCpu, 99),
                percentile(javaWall, 50) / percentile(cWall, 50), percentile(javaWall, 99) / percentile(cWall, 99));
    }

    private static String met(double value, double target) {
        return value <= target ? "met" : "MISSED";
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static List<Double> column(List<Phases> applies, ToDoubleFunction<Phases> phase) {
        return applies.stream().map(phases -> phase.applyAsDouble(phases)).toList();
    }

    private static void row(String label, List<Double> samples) {
        System.out.printf(Locale.ROOT, "| %-60s | %6.3f ms | %6.3f ms |%n", label, percentile(samples, 50), percentile(samples, 99));
    }

    private static void ratio(String label, List<Double> java, List<Double> c) {
        System.out.printf(Locale.ROOT, "| %-60s | %8.2fx | %8.2fx |%n", label, percentile(java, 50) / percentile(c, 50),
                percentile(java, 99) / percentile(c, 99));
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> samples, int percent) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = samples.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /** RSS after full collections; the programs and maps themselves live in kernel memory, not in RSS. */
    private static long settledRssKib() throws IOException {
        System.gc();
        System.gc();
        return ProcessMemory.rssKib();
    }
}
