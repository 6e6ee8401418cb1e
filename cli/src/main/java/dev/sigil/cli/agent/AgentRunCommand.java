package dev.sigil.cli.agent;

import dev.sigil.agent.metrics.AgentMetrics;
import dev.sigil.agent.metrics.MetricsServer;
import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.StepTimer;
import dev.sigil.agent.standalone.StandaloneAgent;
import dev.sigil.agent.standalone.StandaloneOptions;
import dev.sigil.agent.translate.PodTargets;
import dev.sigil.api.resource.ResourceFile;
import dev.sigil.api.resource.ResourceReader;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.TrustBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Verifies, loads and attaches SignedBpfProgram resources on this machine and shows a live status table "
                    + "until Ctrl-C (or SIGTERM), then unloads them.",
            "Each resource stands alone: one that cannot be read, breaks the API's rules, or fails verification or "
                    + "loading is reported with its reason and the others run. Exits 1 when none of them could be loaded, "
                    + "2 when no file holds a resource. Needs root (bpf(), bpffs)."
        })
final class AgentRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Mixin
    TrustOption trust;

    @Mixin
    MountOption mount;

    @Option(names = "--keep", description = "Leave the resources pinned and attached on exit (see 'sigil agent unload').")
    boolean keep;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "Refresh the table, repair drift and look for interfaces come or gone (for interface "
                    + "patterns and the primary interface) this often (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--watch-map", paramLabel = "NAME",
            description = "Show the u64 at key 0 of this map (repeatable). Default: every map the resource declares.")
    List<String> watchMaps = new ArrayList<>();

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve the agent's metrics at /metrics on this port (Prometheus text format), "
                    + "the kernel's run count and time of each program included. Default: no metrics.")
    Integer metricsPort;

    @ArgGroup(exclusive = true)
    Bounded bounded = new Bounded();

    static final class Bounded {
        @Option(names = "--once", description = "Load, print one table, and stop.")
        boolean once;

        @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Stop by itself after this long (demos, tests).")
        Duration duration;
    }

    @Parameters(arity = "1..*", paramLabel = "RESOURCE.yaml", description = "SignedBpfProgram files, as 'sigil sign' writes them.")
    List<Path> resourceFiles;

    @Override
    public Integer call() throws Exception {
        if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535)) {
            throw new ParameterException(spec.commandLine(), "--metrics-port must be a port (1-65535), got " + metricsPort);
        }
        StartupTrace.mark("arguments");
        StandaloneOptions options = options();
        List<SignedBpfProgram> resources = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        for (ResourceFile file : ResourceReader.readEach(resourceFiles)) {
            switch (file) {
                case ResourceFile.Read read -> PodTargets.firstField(read.resource()).ifPresentOrElse(
                        field -> unread.add(read.file() + ": " + field + ": " + PodTargets.NEEDS_A_CLUSTER),
                        () -> resources.add(read.resource()));
                case ResourceFile.Refused refused -> unread.add(refused.message());
            }
        }
        StartupTrace.mark("resources");
        if (resources.isEmpty()) {
            // Nothing to run: a usage error, each file's reason on a line of its own.
            throw new ParameterException(spec.commandLine(), String.join(System.lineSeparator(), unread));
        }
        if (metricsPort == null) {
            return run(host.open(trusted(), interval, mount, StartupTrace.marking(StepTimer.NONE)), options, resources,
                    unread);
        }
        try (AgentMetrics metrics = AgentMetrics.onThisKernel(); MetricsServer server = serveMetrics(metrics)) {
            spec.commandLine().getOut().println("sigil agent: metrics at http://localhost:" + server.port()
                    + MetricsServer.PATH);
            return run(metrics.observe(host.open(trusted(), interval, mount, StartupTrace.marking(metrics.stepTimer()))),
                    options, resources, unread);
        }
    }

    private TrustBundle trusted() {
        TrustBundle bundle = trust.load();
        StartupTrace.mark("trust");
        return bundle;
    }

    private MetricsServer serveMetrics(AgentMetrics metrics) {
        try {
            return MetricsServer.start(metricsPort, metrics);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--metrics-port " + metricsPort + ": " + e.getMessage(), e);
        }
    }

    private int run(ProgramHost programHost, StandaloneOptions options, List<SignedBpfProgram> resources,
            List<String> unread) throws InterruptedException {
        StartupTrace.mark("host");
        StandaloneAgent agent = new StandaloneAgent(programHost, options, spec.commandLine().getOut());
        Thread onSignal = Thread.ofPlatform().name("sigil-agent-stop").unstarted(() -> {
            try {
                agent.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return agent.run(resources, unread);
        } finally {
            removeHook(onSignal);
        }
    }

    private StandaloneOptions options() {
        Optional<Duration> duration = bounded.once ? Optional.of(Duration.ZERO) : Optional.ofNullable(bounded.duration);
        try {
            return new StandaloneOptions(interval, keep, watchMaps, duration, System.console() != null && System.console().isTerminal());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is already running: it waits for run() to have cleaned up, which it has.
        }
    }
}
