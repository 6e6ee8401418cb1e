package dev.sigil.agent.standalone;

import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Renders what a host runs as an aligned text table: one row per program (one per resource when it
 * has none, e.g. after a failure), then the reason of every failed resource. Pure.
 */
public final class StatusTable {
    private static final List<String> HEADER = List.of(
            "RESOURCE", "PROGRAM", "PHASE", "ENFORCEMENT", "PROG ID", "LINK ID", "ATTACHED TO", "MAPS (key 0)");
    private static final String NONE = "-";
    private static final int VERIFIER_LOG_LINES = 5;

    /** One resource as the host reports it, with the u64 values read at key 0 of its maps. */
    public record Entry(NodeProgramState state, Map<String, Long> mapValues) {
        public Entry {
            Objects.requireNonNull(state, "state");
            mapValues = Map.copyOf(mapValues);
        }
    }

    private StatusTable() {
    }

    public static String render(Collection<Entry> entries) {
        if (entries.isEmpty()) {
            return "no resources\n";
        }
        List<Entry> sorted = entries.stream().sorted(Comparator.comparing(entry -> entry.state().getName())).toList();
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        sorted.forEach(entry -> rows.addAll(rows(entry)));
        StringBuilder text = new StringBuilder(aligned(rows));
        sorted.stream().filter(entry -> entry.state().getPhase() == ProgramPhase.Failed)
                .forEach(entry -> text.append(failure(entry.state())));
        return text.toString();
    }

    private static List<List<String>> rows(Entry entry) {
        NodeProgramState state = entry.state();
        String maps = maps(entry.mapValues());
        if (state.getPrograms() == null || state.getPrograms().isEmpty()) {
            return List.of(List.of(state.getName(), NONE, phase(state), enforcement(state), NONE, NONE, NONE, maps));
        }
        List<List<String>> rows = new ArrayList<>();
        for (LoadedProgram program : state.getPrograms()) {
            rows.add(List.of(state.getName(), program.getName(), phase(state), enforcement(state),
                    orNone(program.getProgramId()), orNone(program.getLinkId()), orNone(program.getAttachedTo()), maps));
        }
        return rows;
    }

    private static String failure(NodeProgramState state) {
        StringBuilder text = new StringBuilder()
                .append("! ").append(state.getName()).append(": ").append(orNone(state.getReason()))
                .append(": ").append(orNone(state.getMessage())).append('\n');
        if (state.getVerifierLogTail() != null && !state.getVerifierLogTail().isBlank()) {
            List<String> lines = state.getVerifierLogTail().lines().toList();
            lines.subList(Math.max(0, lines.size() - VERIFIER_LOG_LINES), lines.size())
                    .forEach(line -> text.append("    | ").append(line).append('\n'));
        }
        return text.toString();
    }

    private static String maps(Map<String, Long> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        return values.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(value -> value.getKey() + "=" + Long.toUnsignedString(value.getValue()))
                .collect(Collectors.joining(" "));
    }

    private static String phase(NodeProgramState state) {
        return orNone(state.getPhase());
    }

    private static String enforcement(NodeProgramState state) {
        return orNone(state.getEnforcement());
    }

    private static String orNone(Object value) {
        return value == null ? NONE : value.toString();
    }

    private static String aligned(List<List<String>> rows) {
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int column = 0; column < row.size(); column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.size(); column++) {
                line.append(column == row.size() - 1 ? row.get(column) : pad(row.get(column), widths[column] + 2));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private static String pad(String cell, int width) {
        return cell + " ".repeat(width - cell.length());
    }
}
