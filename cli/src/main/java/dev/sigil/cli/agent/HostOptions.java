package dev.sigil.cli.agent;

import dev.sigil.agent.node.HostConfig;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.node.StepTimer;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.TrustBundle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the agent pins: shared by the agent commands, each of which runs a host on this machine's kernel. */
final class HostOptions {
    @Option(names = "--pin-root", paramLabel = "DIR", defaultValue = "/sys/fs/bpf/sigil",
            description = "bpffs directory holding one directory of pins per resource (default: ${DEFAULT-VALUE}).")
    Path pinRoot;

    KernelProgramHost open(TrustBundle trust, Duration driftInterval, StepTimer stepTimer) {
        return KernelProgramHost.start(new HostConfig(pinRoot.toAbsolutePath(), trust, Clock.systemUTC(), driftInterval,
                stepTimer));
    }

    /** For listing, reading and unloading pins, which verifies nothing and so trusts nobody. */
    KernelProgramHost openPinsOnly() {
        return open(TrustBundle.of(List.of(), Revocations.none()), HostConfig.DEFAULT_DRIFT_INTERVAL, StepTimer.NONE);
    }
}
