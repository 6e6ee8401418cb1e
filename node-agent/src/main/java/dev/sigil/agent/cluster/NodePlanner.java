package dev.sigil.agent.cluster;

import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.ReasonCode;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides which programs this node applies and which it unloads, from its labels, the cluster's
 * programs and what the node reports. Pure: the agent feeds it informer caches and host states.
 */
final class NodePlanner {
    private static final Set<String> VERIFICATION_REASONS = Arrays.stream(ReasonCode.values())
            .map(ReasonCode::name)
            .collect(Collectors.toUnmodifiableSet());

    private NodePlanner() {
    }

    /**
     * @param nodeLabels  the node's labels; empty when its Node object is gone, which wants nothing
     * @param programs    every SignedBpfProgram the agent knows
     * @param reported    what the node reports per resource: host states, and failed applies it remembers
     * @param reapplyAll  apply every wanted program again, attached or failed: after the trust bundle
     *                    changed (apply re-verifies) and on the periodic retry of failures
     */
    static NodePlan plan(Optional<Map<String, String>> nodeLabels, Collection<SignedBpfProgram> programs,
            Collection<NodeProgramState> reported, boolean reapplyAll) {
        Map<String, SignedBpfProgram> wanted = nodeLabels
                .map(labels -> programs.stream()
                        .filter(program -> program.getMetadata().getDeletionTimestamp() == null)
                        .filter(program -> NodeSelectors.selects(program, labels))
                        .collect(Collectors.toMap(program -> program.getMetadata().getName(), Function.identity())))
                .orElse(Map.of());
        Map<String, NodeProgramState> reportedByName = reported.stream()
                .collect(Collectors.toMap(NodeProgramState::getName, Function.identity(), (first, second) -> second));

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
     * Whether a failed apply must also stop whatever older generation of the resource still runs. A
     * verification failure means the resource as it stands — or its signer or loader, revoked in the
     * node's trust bundle — is not trusted any more: nothing of it may keep running. A kernel-side
     * failure of a new generation (load, attach, pin) leaves the host's own choice in place.
     */
    static boolean mustStopRunning(NodeProgramState failedApply) {
        return VERIFICATION_REASONS.contains(failedApply.getReason());
    }

    /**
     * A failure of the same generation is not retried on every event (it would re-verify and reload
     * on each informer update); {@code reapplyAll} retries it.
     */
    private static boolean needsApply(SignedBpfProgram program, NodeProgramState state) {
        if (state == null || !Objects.equals(state.getGeneration(), program.getMetadata().getGeneration())) {
            return true;
        }
        return state.getPhase() != ProgramPhase.Attached && state.getPhase() != ProgramPhase.Failed;
    }
}
