package dev.sigil.cli.agent;

import dev.sigil.agent.node.HostConfig;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.bpf.kernel.BpffsMount;
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

    /** For loading: a bpffs is mounted for the pin root as {@code mount} allows. */
    KernelProgramHost open(TrustBundle trust, Duration driftInterval, MountOption mount) {
        return KernelProgramHost.start(new HostConfig(pinRoot.toAbsolutePath(), trust, Clock.systemUTC(), driftInterval),
                mount.policy());
    }

    /**
     * For listing, reading and unloading pins, which verifies nothing and so trusts nobody, and mounts nothing:
     * where there is no bpffs, nothing is pinned.
     */
    KernelProgramHost openPinsOnly() {
        return KernelProgramHost.start(new HostConfig(pinRoot.toAbsolutePath(), TrustBundle.of(List.of(), Revocations.none()),
                Clock.systemUTC(), HostConfig.DEFAULT_DRIFT_INTERVAL), BpffsMount.Never);
    }
}
