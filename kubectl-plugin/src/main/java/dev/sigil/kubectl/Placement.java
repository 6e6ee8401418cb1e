package dev.sigil.kubectl;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where one program stands on each node: every node whose agent reports it, and every targeted node
 * whose agent does not (yet). Pure: the same inputs give the same rows.
 */
final class Placement {
    private Placement() {
    }

    /**
     * @param node       node name
     * @param entry      what the node's agent reports for the program, if anything
     * @param lastReport when the node's agent last wrote its status
     * @param stale      the node's report is older than the staleness threshold (or missing)
     * @param targeted   the program's selector matches the node (false also when unknown)
     * @param current    the entry describes the program's current generation
     */
    record NodeRow(String node, Optional<NodeProgramState> entry, Optional<Instant> lastReport, boolean stale,
            boolean targeted, boolean current) {
    }

    static List<NodeRow> rows(SignedBpfProgram program, List<BpfNodeState> states, Set<String> targetedNodes,
            Instant now, NodeStaleness staleness) {
        String name = program.getMetadata().getName();
        Long generation = program.getMetadata().getGeneration();
        Map<String, NodeRow> rows = new TreeMap<>();
        for (BpfNodeState state : states) {
            String node = state.getMetadata().getName();
            Optional<NodeProgramState> entry = entry(state, name);
            if (entry.isEmpty() && !targetedNodes.contains(node)) {
                continue;
            }
            rows.put(node, new NodeRow(node, entry, NodeStaleness.lastReport(state),
                    staleness.isStale(state, now), targetedNodes.contains(node),
                    entry.map(e -> Objects.equals(e.getGeneration(), generation)).orElse(false)));
        }
        for (String node : targetedNodes) {
            rows.putIfAbsent(node, new NodeRow(node, Optional.empty(), Optional.empty(), true, true, false));
        }
        return new ArrayList<>(rows.values());
    }

    static Optional<NodeProgramState> entry(BpfNodeState state, String program) {
        if (state.getStatus() == null || state.getStatus().getPrograms() == null) {
            return Optional.empty();
        }
        return state.getStatus().getPrograms().stream().filter(entry -> program.equals(entry.getName())).findFirst();
    }
}
