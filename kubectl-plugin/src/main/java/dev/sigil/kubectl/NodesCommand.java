package dev.sigil.kubectl;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = "Every node with a Sigil agent: kernel release, whether the kernel verifies signatures itself, "
                + "whether it hashes maps (LoaderHashV1 natively), its programs by phase, the agent's version, when it "
                + "last reported, and whether that report is stale.")
final class NodesCommand extends ClusterCommand implements Callable<Integer> {
    @Mixin
    StalenessOption staleness;

    @Override
    public Integer call() {
        PrintWriter out = out();
        try (KubernetesClient client = cluster.connect()) {
            List<BpfNodeState> states = cluster.reader(client).nodeStates();
            if (states.isEmpty()) {
                out.println("No BpfNodeStates found: no Sigil agent has reported yet.");
                return 0;
            }
            Instant now = now();
            Table table = new Table("NODE", "KERNEL", "SIGNATURES", "MAP HASHES", "PROGRAMS", "AGENT", "LAST REPORT", "STATE");
            for (BpfNodeState state : states) {
                BpfNodeStateStatus status = state.getStatus() == null ? new BpfNodeStateStatus() : state.getStatus();
                KernelCapabilities kernel = status.getKernel() == null ? new KernelCapabilities() : status.getKernel();
                boolean stale = staleness.rule().isStale(state, now);
                table.row(state.getMetadata().getName(),
                        Objects.toString(kernel.getRelease(), "-"),
                        Objects.toString(kernel.getSignatureVerification(), "-"),
                        status.getKernel() == null ? "-" : kernel.isMapHashes() ? "yes" : "no (compat)",
                        programs(status.getPrograms()),
                        Objects.toString(status.getAgentVersion(), "-"),
                        NodeStaleness.lastReport(state).isEmpty() ? "never" : Ages.since(NodeStaleness.lastReport(state), now),
                        stale ? "Stale" : "Reporting");
            }
            out.print(table.render());
            return 0;
        }
    }

    /** "3 (2 Attached, 1 Failed)". */
    private static String programs(List<NodeProgramState> programs) {
        if (programs == null || programs.isEmpty()) {
            return "0";
        }
        Map<String, Long> byPhase = new TreeMap<>(programs.stream()
                .collect(Collectors.groupingBy(p -> Objects.toString(p.getPhase(), "Unknown"), Collectors.counting())));
        return programs.size() + " (" + byPhase.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", ")) + ")";
    }
}
