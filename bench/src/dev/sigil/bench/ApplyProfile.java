package dev.sigil.bench;

import dev.sigil.agent.node.HostConfig;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.bpf.kernel.BpffsMount;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Where a warm apply's CPU time goes (not a test): the agent's host applies and unloads the same signed resource
 * W times to warm up, then N more times inside a JFR recording with the CPU-time sampler (every millisecond of
 * CPU a thread uses, in the kernel too), which {@link ProfileSummary} folds into the apply's phases. Only the
 * applies' samples count; unloads are listed on their own. {@code bench/profile.sh} builds and runs it as root.
 *
 * <pre>ApplyProfile --skeleton X.lskel.h --pin-root DIR --recording OUT.jfr [--applies N] [--warmup W]</pre>
 */
public final class ApplyProfile {
    private ApplyProfile() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchOptions.parse(args);
        BenchPrograms programs = BenchPrograms.sign(Path.of(BenchOptions.required(options, "--skeleton")));
        Path pinRoot = Path.of(BenchOptions.required(options, "--pin-root"));
        Path recordingFile = Path.of(BenchOptions.required(options, "--recording"));
        int applies = Integer.parseInt(options.getOrDefault("--applies", "2000"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "300"));

        SignedBpfProgram resource = programs.resource("profile");
        HostConfig config = new HostConfig(pinRoot, programs.trust(), Clock.systemUTC(), Duration.ofSeconds(30));
        try (KernelProgramHost host = KernelProgramHost.start(config, BpffsMount.IfEmpty)) {
            for (int i = 0; i < warmup; i++) {
                applyAndUnload(host, resource);
            }
            try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
                recording.enable("jdk.CPUTimeSample").with("throttle", "1ms").withStackTrace();
                recording.disable("jdk.ExecutionSample");
                recording.start();
                for (int i = 0; i < applies; i++) {
                    applyAndUnload(host, resource);
                }
                recording.stop();
                recording.dump(recordingFile);
            }
        }
        ProfileSummary.print(recordingFile, applies, System.out);
    }

    private static void applyAndUnload(KernelProgramHost host, SignedBpfProgram resource) {
        ResourceReport report = host.apply(SpecTranslation.deployRequest(resource));
        if (report.phase() != ResourceReport.Phase.Attached) {
            throw new IllegalStateException(report.name() + " did not attach: " + report.cause().orElse(null) + ": "
                    + report.message().orElse(""));
        }
        host.unload(resource.getMetadata().getName());
    }
}
