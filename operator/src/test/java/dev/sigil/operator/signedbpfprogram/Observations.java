package dev.sigil.operator.signedbpfprogram;

import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.operator.nodes.ProgramReport;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/** Observations as a reconcile makes them, from node entries written the way agents write them; no node stale. */
final class Observations {
    private Observations() {
    }

    static SortedMap<String, ProgramReport> reports(Map<String, NodeProgramState> entries) {
        SortedMap<String, ProgramReport> reports = new TreeMap<>();
        entries.forEach((node, entry) -> reports.put(node, ProgramReport.of(entry)));
        return reports;
    }

    static ProgramObservation observation(long generation, VerificationOutcome verification, SortedSet<String> targeted,
            Optional<String> selectorError, Map<String, NodeProgramState> entries) {
        return new ProgramObservation(generation, verification, targeted, selectorError, reports(entries), new TreeMap<>());
    }
}
