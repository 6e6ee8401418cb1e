package dev.sigil.cli.agent;

import dev.sigil.cli.usage.CommandRequired;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sigil agent}: the node agent, on this machine alone or as a cluster's DaemonSet. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Loads signed BPF programs on this machine (verifying each against its own trust bundle) and keeps them attached.",
        subcommands = {
            AgentRunCommand.class,
            AgentStatusCommand.class,
            AgentUnloadCommand.class,
            AgentClusterCommand.class,
        })
public final class AgentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CommandRequired.of(spec);
    }
}
