package dev.sigil.agent.cluster;

import dev.sigil.agent.node.ResourceReport;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides which programs this node applies and which it unloads, from its labels, the cluster's
 * programs and what the node reports. Pure: the agent feeds it informer caches and the host's reports.
 */
final class NodePlanner {

    private NodePlanner() {
    }

    /**
     * @param nodeLabels  the node's labels; empty when its Node object is gone, which wants nothing
     * @param programs    every SignedBpfProgram the agent knows
     * @param reported    the host's report per resource (a failed apply is reported as such)
     * @param reapplyAll  apply every wanted program again, attached or failed: after the trust bundle
     *                    changed (apply re-verifies) and on the periodic retry of failures
     */
    static NodePlan plan(Optional<Map<String, String>> nodeLabels, Collection<SignedBpfProgram> programs,
            Collection<ResourceReport> reported, boolean reapplyAll) {
        Map<String, SignedBpfProgram> wanted = nodeLabels
                .map(labels -> programs.stream()
                        .filter(program -> program.getMetadata().getDeletionTimestamp() == null)
                        .filter(program -> NodeSelectors.selects(program, labels))
                        .collect(Collectors.toMap(program -> program.getMetadata().getName(), Function.identity())))
                .orElse(Map.of());
        Map<String, ResourceReport> reportedByName = reported.stream()
                .collect(Collectors.toMap(ResourceReport::name, Function.identity(), (first, second) -> second));

        List<SignedBpfProgram> toApply = wanted.values().stream()
                .filter(program -> reapplyAll || needsApply(program, reportedByName.get(program.getMetadata().getName())))
                .sorted(Comparator.comparing(program -> program.getMetadata().getName()))
                .toList();
        List<String> toUnload = reportedByName.keySet().stream()
                .filter(name -> !wanted.containsKey(name))
                .sorted()
                .toList();
        return new NodePlan(toApply, toUnload);
    }

    /**
     * A failure of the same generation is not retried on every event (it would re-verify and reload
     * on each informer update); {@code reapplyAll} retries it.
     */
    private static boolean needsApply(SignedBpfProgram program, ResourceReport report) {
        Long generation = program.getMetadata().getGeneration();
        if (report == null || !report.generation().equals(
                generation == null ? OptionalLong.empty() : OptionalLong.of(generation))) {
            return true;
        }
        return report.phase() != ResourceReport.Phase.Attached && report.phase() != ResourceReport.Phase.Failed;
    }
}
