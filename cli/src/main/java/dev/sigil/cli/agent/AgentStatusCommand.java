package dev.sigil.cli.agent;

import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.standalone.StatusTable;
import dev.sigil.agent.translate.StatusTranslation;
import dev.sigil.bpf.kernel.Support;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the resources pinned under the pin root (left by 'sigil agent run --keep' or the cluster agent). Changes nothing, and mounts nothing: where there is no bpffs, nothing is pinned.")
final class AgentStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Option(names = "--watch-map", paramLabel = "NAME", description = "Show the u64 at key 0 of this map (repeatable).")
    List<String> watchMaps = new ArrayList<>();

    @Override
    public Integer call() {
        try (KernelProgramHost kernelHost = host.openPinsOnly()) {
            List<StatusTable.Entry> entries = new ArrayList<>();
            for (ResourceReport report : kernelHost.adoptPinned()) {
                Map<String, Long> values = new LinkedHashMap<>();
                watchMaps.forEach(map -> kernelHost.readMapValue(report.name(), map, 0).ifPresent(value -> values.put(map, value)));
                entries.add(new StatusTable.Entry(StatusTranslation.state(report), values));
            }
            spec.commandLine().getOut().print(StatusTable.render(entries));
            if (kernelHost.capabilities().bpffs() instanceof Support.Unsupported(String reason)) {
                spec.commandLine().getOut().println("(" + reason + ")");
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
