package dev.sigil.kubectl;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {
            "Per node: the phase of each SignedBpfProgram (or only NAME), the enforcement that applied, kernel program "
                    + "and link ids, since when it is in that phase, when the node last reported, and why it failed.",
            "A targeted node whose agent has not reported the program shows as NoReport; a node whose agent has not "
                    + "reported for --stale-after-heartbeats of its heartbeat intervals is marked stale: what it last said may no longer hold."
        })
final class StatusCommand extends ClusterCommand implements Callable<Integer> {
    private static final int MAX_REASON = 80;

    @Mixin
    StalenessOption staleness;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "One SignedBpfProgram (default: all).")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = out();
        try (KubernetesClient client = cluster.connect()) {
            ClusterReader reader = cluster.reader(client);
            List<SignedBpfProgram> programs = name == null ? reader.programs() : List.of(reader.program(name));
            if (programs.isEmpty()) {
                out.println("No SignedBpfPrograms found.");
                return 0;
            }
            List<BpfNodeState> states = reader.nodeStates();
            Instant now = now();
            Table table = new Table("PROGRAM", "NODE", "PHASE", "ENFORCEMENT", "GENERATION", "PROGRAM IDS", "LINK IDS",
                    "SINCE", "LAST REPORT", "REASON");
            for (SignedBpfProgram program : programs) {
                out.println(summary(program));
                ClusterReader.Targets targets = reader.targets(program);
                if (targets instanceof ClusterReader.Targets.Unknown unknown) {
                    out.println("  (" + unknown.why() + ")");
                }
                Set<String> targeted = targets instanceof ClusterReader.Targets.Known known ? known.nodes() : Set.of();
                for (Placement.NodeRow row : Placement.rows(program, states, targeted, now, staleness.rule())) {
                    table.row(cells(program, row, now));
                }
            }
            out.println();
            out.print(table.isEmpty() ? "No node runs or is targeted by " + (name == null ? "any program" : name) + ".\n"
                    : table.render());
            return 0;
        }
    }

    static String summary(SignedBpfProgram program) {
        SignedBpfProgramStatus status = program.getStatus();
        String counts = status == null ? "no status yet (is the operator running?)"
                : "targeted " + count(status.getTargetedNodes()) + ", attached " + count(status.getAttachedNodes())
                        + ", failed " + count(status.getFailedNodes());
        String observed = status == null || Objects.equals(status.getObservedGeneration(), program.getMetadata().getGeneration())
                ? "" : " (status is of generation " + status.getObservedGeneration() + ")";
        return program.getMetadata().getName() + " generation " + program.getMetadata().getGeneration() + observed + ": "
                + Conditions.brief(program, "Verified") + ", " + Conditions.brief(program, "Ready") + "; " + counts;
    }

    private static String count(Integer value) {
        return value == null ? "?" : value.toString();
    }

    private static String[] cells(SignedBpfProgram program, Placement.NodeRow row, Instant now) {
        String lastReport = Ages.since(row.lastReport(), now) + (row.stale() && row.lastReport().isPresent() ? " (stale)" : "");
        if (row.entry().isEmpty()) {
            return new String[] {program.getMetadata().getName(), row.node(), "-", "-", "-", "-", "-", "-",
                row.lastReport().isEmpty() ? "never" : lastReport,
                "NoReport: targeted, but its agent reports nothing for this program"};
        }
        NodeProgramState entry = row.entry().get();
        return new String[] {program.getMetadata().getName(), row.node(),
            Objects.toString(entry.getPhase(), "-"),
            Objects.toString(entry.getEnforcement(), "-"),
            entry.getGeneration() == null ? "-" : entry.getGeneration() + (row.current() ? "" : " (old)"),
            ids(entry.getPrograms(), LoadedProgram::getProgramId),
            ids(entry.getPrograms(), LoadedProgram::getLinkId),
            Ages.since(entry.getLastTransitionTime(), now),
            lastReport,
            reason(entry)};
    }

    private static String ids(List<LoadedProgram> programs, Function<LoadedProgram, Long> id) {
        String ids = programs == null ? "" : programs.stream().map(id).filter(Objects::nonNull).map(String::valueOf)
                .collect(Collectors.joining(","));
        return ids.isEmpty() ? "-" : ids;
    }

    private static String reason(NodeProgramState entry) {
        if (entry.getReason() == null) {
            return "";
        }
        String text = entry.getMessage() == null ? entry.getReason() : entry.getReason() + ": " + entry.getMessage().lines().findFirst().orElse("");
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }
}
