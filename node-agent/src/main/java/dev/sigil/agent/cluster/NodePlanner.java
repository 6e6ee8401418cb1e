package dev.sigil.agent.cluster;

import dev.sigil.agent.node.ResourceReport;
import dev.sigil.api.NodeSelector;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides what this node does with one resource, from its labels, the cluster's program of that name and what
 * the node reports of it. Pure: the agent feeds it informer caches and the host's reports.
 */
final class NodePlanner {

    /** What the node does with one resource name. */
    enum Decision {
        /** Hand the program to {@code ProgramHost.apply}. */
        Apply,
        /** Unload what runs of it: it is gone, being deleted, or no longer selected for this node. */
        Unload,
        /** It runs (or failed) as wanted, or is neither wanted nor known here. */
        Keep
    }

    private NodePlanner() {
    }

    /**
     * @param nodeLabels the node's labels; empty when its Node object is gone, which wants nothing
     * @param program    the cluster's program of this name, if any
     * @param reported   the host's report of this name (a failed apply is reported as such), if any
     * @param reapply    apply it again even when attached or failed at this generation: after the trust bundle
     *                   changed (apply re-verifies) and on the periodic resync
     */
    static Decision decide(Optional<Map<String, String>> nodeLabels, Optional<SignedBpfProgram> program,
            Optional<ResourceReport> reported, boolean reapply) {
        boolean wanted = nodeLabels.isPresent() && program.isPresent()
                && program.get().getMetadata().getDeletionTimestamp() == null
                && NodeSelector.selects(program.get(), nodeLabels.get());
        if (!wanted) {
            return reported.isPresent() ? Decision.Unload : Decision.Keep;
        }
        return reapply || needsApply(program.get(), reported.orElse(null)) ? Decision.Apply : Decision.Keep;
    }

    /** Every name's decision at once (start-up, after an outage, shutdown): sorted programs to apply and names to unload. */
    static NodePlan plan(Optional<Map<String, String>> nodeLabels, Collection<SignedBpfProgram> programs,
            Collection<ResourceReport> reported, boolean reapplyAll) {
        Map<String, SignedBpfProgram> byName = programs.stream()
                .collect(Collectors.toMap(program -> program.getMetadata().getName(), Function.identity(),
                        (first, second) -> second, TreeMap::new));
        Map<String, ResourceReport> reportedByName = reported.stream()
                .collect(Collectors.toMap(ResourceReport::name, Function.identity(), (first, second) -> second));
        TreeSet<String> names = new TreeSet<>(byName.keySet());
        names.addAll(reportedByName.keySet());
        List<SignedBpfProgram> toApply = new ArrayList<>();
        List<String> toUnload = new ArrayList<>();
        for (String name : names) {
            switch (decide(nodeLabels, Optional.ofNullable(byName.get(name)),
                    Optional.ofNullable(reportedByName.get(name)), reapplyAll)) {
                case Apply -> toApply.add(byName.get(name));
                case Unload -> toUnload.add(name);
                case Keep -> { }
            }
        }
        return new NodePlan(toApply, toUnload);
    }

    /**
     * A failure of the same generation is not retried on every event (it would re-verify and reload
     * on each informer update); {@code reapply} retries it.
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
