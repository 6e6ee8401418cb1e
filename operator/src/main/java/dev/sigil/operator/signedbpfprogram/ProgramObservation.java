package dev.sigil.operator.signedbpfprogram;

import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.operator.nodes.ProgramReport;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the operator observed about one program in one reconcile: its generation, the
 * verification outcome, the nodes it targets, and what each node's agent reports for it.
 *
 * @param targetedNodes Linux nodes the selector matches; empty unless verified
 * @param selectorError why spec.nodeSelector could not be evaluated, if it could not
 * @param reports node name to that node's report of this program
 * @param staleNodes targeted nodes whose agent stopped reporting ({@link NodeStaleness}), with when it last did
 *     (empty when that cannot be told)
 */
public record ProgramObservation(
        long generation,
        VerificationOutcome verification,
        SortedSet<String> targetedNodes,
        Optional<String> selectorError,
        SortedMap<String, ProgramReport> reports,
        SortedMap<String, Optional<Instant>> staleNodes) {

    public ProgramObservation {
        targetedNodes = new TreeSet<>(targetedNodes);
        reports = new TreeMap<>(reports);
        staleNodes = new TreeMap<>(staleNodes);
    }
}
