package dev.sigil.cli.agent;

import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.node.ResourceReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "unload", mixinStandardHelpOptions = true,
        description = "Detaches and unloads pinned resources, removes their pins, and confirms the programs are gone.")
final class AgentUnloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Resource names, as 'sigil agent status' lists them.")
    List<String> names;

    @Override
    public Integer call() {
        try (KernelProgramHost kernelHost = host.openPinsOnly()) {
            List<String> pinned = kernelHost.adoptPinned().stream().map(ResourceReport::name).toList();
            List<String> unknown = names.stream().filter(name -> !pinned.contains(name)).toList();
            if (!unknown.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "nothing pinned under " + host.pinRoot + " for " + String.join(", ", unknown)
                        + (pinned.isEmpty() ? " (nothing is pinned there)" : " (pinned: " + String.join(", ", pinned) + ")"));
            }
            PrintWriter out = spec.commandLine().getOut();
            for (String name : names) {
                ResourceReport report = kernelHost.unload(name);
                out.println("unloaded " + name + report.message().map(message -> ": " + message).orElse(""));
            }
            out.flush();
            return 0;
        }
    }
}
