package dev.sigil.cli.agent;

import dev.sigil.agent.node.HostConfig;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.signing.KeyMaterialException;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.TrustBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where the agent pins, and the trust bundle it verifies with: shared by the agent commands. */
final class HostOptions {
    @Option(names = "--pin-root", paramLabel = "DIR", defaultValue = "/sys/fs/bpf/sigil",
            description = "bpffs directory holding one directory of pins per resource (default: ${DEFAULT-VALUE}).")
    Path pinRoot;

    /** A host on this machine's kernel; {@code trust} may be empty for commands that only look at pins. */
    static KernelProgramHost open(Path pinRoot, TrustBundle trust, Duration driftInterval) {
        return KernelProgramHost.start(new HostConfig(pinRoot.toAbsolutePath(), trust, Clock.systemUTC(), driftInterval));
    }

    /** @throws ParameterException naming the bundle when it cannot be read */
    static TrustBundle loadTrust(CommandSpec spec, Path trust) {
        try {
            return TrustBundle.load(trust);
        } catch (IOException | KeyMaterialException e) {
            throw new ParameterException(spec.commandLine(), "--trust " + trust + ": " + e.getMessage(), e);
        }
    }

    /** Listing, reading and unloading pins verifies nothing, so it trusts nobody. */
    static TrustBundle trustNobody() {
        return TrustBundle.of(List.of(), Revocations.none());
    }
}
