package dev.sigil.bench;

import dev.sigil.agent.node.HostConfig;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.bpf.kernel.BpffsMount;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Warm applies marked for an outside observer (not a test): the agent's host applies and unloads the signed example
 * W times, then N more times, each apply between two markers: a stat of {@link #BEGIN} and of {@link #END} (paths
 * that never exist), which {@code bench/syscalls.sh} finds in strace's trace, and, with {@code --perf-control FIFO},
 * "enable" and "disable" written to perf record's control FIFO, each awaiting perf's "ack" on the second FIFO
 * ({@code bench/perf.sh}), so perf samples the applies alone. The unloads are outside the markers, as C's destroy is outside its timed region.
 *
 * <pre>ApplySyscalls --skeleton X.lskel.h --pin-root DIR [--applies N] [--warmup W] [--perf-control FIFO --perf-ack FIFO]</pre>
 */
public final class ApplySyscalls {
    static final Path BEGIN = Path.of("/nonexistent/sigil-bench-apply-begin");
    static final Path END = Path.of("/nonexistent/sigil-bench-apply-end");

    private ApplySyscalls() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchOptions.parse(args);
        BenchPrograms programs = BenchPrograms.sign(Path.of(BenchOptions.required(options, "--skeleton")));
        Path pinRoot = Path.of(BenchOptions.required(options, "--pin-root"));
        int applies = Integer.parseInt(options.getOrDefault("--applies", "5"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "50"));
        Optional<Path> perfControl = Optional.ofNullable(options.get("--perf-control")).map(Path::of);
        Optional<Path> perfAck = Optional.ofNullable(options.get("--perf-ack")).map(Path::of);

        SignedBpfProgram resource = programs.resource("syscalls");
        HostConfig config = new HostConfig(pinRoot, programs.trust(), Clock.systemUTC(), Duration.ofSeconds(30));
        try (KernelProgramHost host = KernelProgramHost.start(config, BpffsMount.IfEmpty);
             Writer perf = perfControl.isPresent() ? Files.newBufferedWriter(perfControl.get()) : Writer.nullWriter();
             BufferedReader ack = perfAck.isPresent() ? Files.newBufferedReader(perfAck.get())
                     : new BufferedReader(Reader.nullReader())) {
            for (int i = 0; i < warmup + applies; i++) {
                boolean traced = i >= warmup;
                if (traced) {
                    Files.exists(BEGIN);
                    tell(perf, ack, "enable");
                }
                LoadBenchmark.requireAttached(host.apply(SpecTranslation.deployRequest(resource)));
                if (traced) {
                    tell(perf, ack, "disable");
                    Files.exists(END);
                }
                host.unload(resource.getMetadata().getName());
            }
        }
    }

    /** A command to perf record, once it has acknowledged it (no FIFOs: nothing). */
    private static void tell(Writer perf, BufferedReader ack, String command) throws IOException {
        perf.write(command + "\n");
        perf.flush();
        ack.readLine();
    }
}
