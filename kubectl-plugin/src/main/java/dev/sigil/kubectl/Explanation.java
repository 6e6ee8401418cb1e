package dev.sigil.kubectl;

import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a program is in its state, as a chain: the headline (the condition that matters most), the
 * operator's conditions in causal order, the nodes that explain it, the Events, and what to do next.
 * Pure: built from what was read and a fixed time.
 */
final class Explanation {
    private final SignedBpfProgram program;
    private final List<Placement.NodeRow> rows;
    private final Optional<String> targetsUnknown;
    private final List<Event> events;
    private final Instant now;
    private final String namespace;
    private final List<String> next = new ArrayList<>();

    Explanation(SignedBpfProgram program, List<Placement.NodeRow> rows, Optional<String> targetsUnknown, List<Event> events,
            Instant now, String namespace) {
        this.program = program;
        this.rows = rows;
        this.targetsUnknown = targetsUnknown;
        this.events = events;
        this.now = now;
        this.namespace = namespace;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append(headline()).append("\n\n");
        conditions(out);
        nodes(out);
        events(out);
        if (!next.isEmpty()) {
            out.append("\nNext\n");
            next.stream().distinct().forEach(line -> out.append("  - ").append(line).append('\n'));
        }
        return out.toString();
    }

    private String name() {
        return program.getMetadata().getName();
    }

    private String headline() {
        SignedBpfProgramStatus status = program.getStatus();
        Long generation = program.getMetadata().getGeneration();
        if (status == null) {
            next.add("the operator has not written a status: is it running? (kubectl -n " + namespace + " get deploy sigil-operator)");
            return name() + " generation " + generation + " has no status yet.";
        }
        if (!Objects.equals(status.getObservedGeneration(), generation)) {
            next.add("wait for the operator to reconcile generation " + generation + ", or read its log (kubectl -n "
                    + namespace + " logs deploy/sigil-operator)");
            return name() + " generation " + generation + ": the operator's status still describes generation "
                    + status.getObservedGeneration() + ".";
        }
        Optional<Condition> verified = Conditions.find(program, "Verified");
        if (verified.isPresent() && !"True".equals(verified.get().getStatus())) {
            return name() + " generation " + generation + " is not verified: " + describe(verified.get());
        }
        Optional<Condition> ready = Conditions.find(program, "Ready");
        if (ready.isEmpty()) {
            return name() + " generation " + generation + " has no Ready condition yet.";
        }
        if ("True".equals(ready.get().getStatus())) {
            long stale = rows.stream().filter(row -> row.entry().isPresent() && row.stale()).count();
            return name() + " generation " + generation + " is ready: " + describe(ready.get())
                    + (stale == 0 ? "" : " — but " + stale + " of those nodes " + (stale == 1 ? "has" : "have")
                            + " stopped reporting (stale), so that may no longer hold");
        }
        return name() + " generation " + generation + " is not ready: " + describe(ready.get());
    }

    private static String describe(Condition condition) {
        return condition.getReason() + (condition.getMessage() == null || condition.getMessage().isBlank() ? ""
                : " — " + condition.getMessage());
    }

    private void conditions(StringBuilder out) {
        out.append("Conditions (the operator's, in causal order)\n");
        Table table = new Table("TYPE", "STATUS", "REASON", "SINCE", "MESSAGE");
        for (String type : Conditions.TYPES) {
            Optional<Condition> condition = Conditions.find(program, type);
            condition.ifPresentOrElse(c -> {
                table.row(type, c.getStatus(), c.getReason(), Ages.since(c.getLastTransitionTime(), now),
                        Objects.toString(c.getMessage(), ""));
                if (!"True".equals(c.getStatus()) || "Degraded".equals(type)) {
                    if (!("Degraded".equals(type) && "False".equals(c.getStatus()))) {
                        Hints.forReason(c.getReason(), namespace).ifPresent(next::add);
                    }
                }
            }, () -> table.row(type, "-", "-", "-", "not written yet"));
        }
        indent(out, table.render());
    }

    private void nodes(StringBuilder out) {
        out.append("\nNodes\n");
        targetsUnknown.ifPresent(why -> out.append("  (").append(why).append(")\n"));
        if (rows.isEmpty()) {
            out.append("  no node runs it or is targeted by it\n");
            return;
        }
        List<String> fine = new ArrayList<>();
        for (Placement.NodeRow row : rows) {
            if (row.entry().isEmpty()) {
                out.append("  ").append(row.node()).append(": NoReport — targeted, ")
                        .append(row.lastReport().isEmpty() ? "and its agent has never reported"
                                : "its agent last reported " + Ages.since(row.lastReport(), now) + " ago"
                                        + (row.stale() ? " (stale)" : ""))
                        .append('\n');
                next.add(row.node() + ": " + (row.lastReport().isEmpty() ? Hints.neverReported(row.node(), namespace)
                        : row.stale() ? Hints.staleNode(row.node(), namespace) : Hints.unreported(row.node(), namespace)));
                continue;
            }
            NodeProgramState entry = row.entry().get();
            boolean healthy = entry.getPhase() == ProgramPhase.Attached && row.current() && !row.stale();
            if (healthy) {
                fine.add(row.node());
                continue;
            }
            out.append("  ").append(row.node()).append(": ").append(entry.getPhase())
                    .append(entry.getReason() == null ? "" : " " + entry.getReason())
                    .append(", generation ").append(entry.getGeneration()).append(row.current() ? "" : " (not the current one)")
                    .append(", since ").append(Ages.since(entry.getLastTransitionTime(), now))
                    .append(", last report ").append(Ages.since(row.lastReport(), now)).append(" ago")
                    .append(row.stale() ? " (stale)" : "").append('\n');
            if (entry.getMessage() != null) {
                entry.getMessage().lines().forEach(line -> out.append("      ").append(line).append('\n'));
            }
            if (entry.getVerifierLogTail() != null) {
                out.append("      verifier log:\n");
                entry.getVerifierLogTail().lines().forEach(line -> out.append("        ").append(line).append('\n'));
            }
            if (row.stale()) {
                next.add(row.node() + ": " + Hints.staleNode(row.node(), namespace));
            }
            Hints.forReason(entry.getReason(), namespace).ifPresent(hint -> next.add(row.node() + ": " + hint));
        }
        if (!fine.isEmpty()) {
            out.append("  attached, current generation, reporting: ").append(String.join(", ", fine)).append('\n');
        }
    }

    private void events(StringBuilder out) {
        out.append("\nEvents (oldest first)\n");
        if (events.isEmpty()) {
            out.append("  none\n");
            return;
        }
        Table table = new Table("AGE", "TYPE", "REASON", "FROM", "MESSAGE");
        for (Event event : events) {
            String from = event.getReportingComponent() != null && !event.getReportingComponent().isBlank()
                    ? event.getReportingComponent()
                    : event.getSource() == null ? "" : Objects.toString(event.getSource().getComponent(), "");
            String count = event.getCount() == null || event.getCount() <= 1 ? "" : " (x" + event.getCount() + ")";
            table.row(Ages.of(java.time.Duration.between(Events.time(event), now)), Objects.toString(event.getType(), ""),
                    Objects.toString(event.getReason(), ""), from, Objects.toString(event.getMessage(), "") + count);
        }
        indent(out, table.render());
    }

    private static void indent(StringBuilder out, String text) {
        text.lines().forEach(line -> out.append("  ").append(line).append('\n'));
    }
}
