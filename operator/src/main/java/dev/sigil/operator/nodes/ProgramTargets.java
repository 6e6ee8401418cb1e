package dev.sigil.operator.nodes;

import dev.sigil.api.NodeSelector;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which nodes each program targets, indexed by (program, node): a program's selector is evaluated once, when the
 * program (or its selector) is first seen, against the nodes that carry a label value it requires (every node
 * when it requires none), and afterwards only against a node that appears, changes its labels or goes. So a
 * reconcile reads its targets without scanning the nodes, and one node's change costs one selector match per
 * program, naming exactly the programs whose targets it moved.
 */
public final class ProgramTargets {
    /** The selector the node set was computed for, and the nodes it matches. */
    private record Targets(Optional<NodeSelector> selector, Set<String> nodes) {
        boolean matches(Node node) {
            return SelectorCache.matches(selector, node);
        }
    }

    private final SelectorCache selectors = new SelectorCache();
    private final Map<String, Targets> byProgram = new HashMap<>();
    private NodeLookup nodes = new NodeLookup() {
        @Override
        public Stream<Node> all() {
            return Stream.empty();
        }

        @Override
        public Collection<Node> labelled(String key, String value) {
            return List.of();
        }
    };

    /** Where the nodes are read from when a program is first seen: the node informer's cache. */
    public synchronized void readNodesFrom(NodeLookup source) {
        this.nodes = source;
    }

    /** The Linux nodes the program's selector matches, verified or not. */
    public synchronized SortedSet<String> nodesTargetedBy(SignedBpfProgram program) {
        return new TreeSet<>(targets(program).nodes());
    }

    public synchronized boolean targets(SignedBpfProgram program, String node) {
        return targets(program).nodes().contains(node);
    }

    /** Programs known here whose targets include the node. */
    public synchronized Set<String> programsTargeting(String node) {
        Set<String> programs = new HashSet<>();
        byProgram.forEach((program, targets) -> {
            if (targets.nodes().contains(node)) {
                programs.add(program);
            }
        });
        return programs;
    }

    /** A node appeared or changed its labels: the programs it joined or left. */
    public synchronized Set<String> nodeChanged(Node node) {
        String name = node.getMetadata().getName();
        Set<String> moved = new HashSet<>();
        byProgram.forEach((program, targets) -> {
            boolean now = targets.matches(node);
            if (now ? targets.nodes().add(name) : targets.nodes().remove(name)) {
                moved.add(program);
            }
        });
        return moved;
    }

    /** A node went: the programs that targeted it. */
    public synchronized Set<String> nodeDeleted(String node) {
        Set<String> moved = new HashSet<>();
        byProgram.forEach((program, targets) -> {
            if (targets.nodes().remove(node)) {
                moved.add(program);
            }
        });
        return moved;
    }

    /** The program is gone. */
    public synchronized void forget(String program) {
        byProgram.remove(program);
        selectors.forget(program);
    }

    private Targets targets(SignedBpfProgram program) {
        Optional<NodeSelector> selector = selectors.selector(program);
        Targets known = byProgram.get(program.getMetadata().getName());
        if (known != null && known.selector() == selector) { // the cache parsed no new selector
            return known;
        }
        Targets targets = new Targets(selector, new HashSet<>());
        Stream<Node> candidates = requiredLabel(program)
                .map(label -> nodes.labelled(label.getKey(), label.getValue()).stream())
                .orElseGet(nodes::all);
        candidates.filter(targets::matches).forEach(node -> targets.nodes().add(node.getMetadata().getName()));
        byProgram.put(program.getMetadata().getName(), targets);
        return targets;
    }

    /**
     * A label value every node the program's selector matches carries (a {@code matchLabels} entry, or an
     * {@code In} requirement with one value), if it has one: only those nodes need its selector evaluated. The OS
     * label comes last: every Linux node carries it.
     */
    static Optional<Map.Entry<String, String>> requiredLabel(SignedBpfProgram program) {
        LabelSelector selector = program.getSpec() == null ? null : program.getSpec().getNodeSelector();
        if (selector == null) {
            return Optional.empty();
        }
        Stream<Map.Entry<String, String>> matchLabels = Optional.ofNullable(selector.getMatchLabels()).stream()
                .flatMap(labels -> labels.entrySet().stream());
        Stream<Map.Entry<String, String>> singleValues = Optional.ofNullable(selector.getMatchExpressions()).stream()
                .flatMap(List::stream)
                .filter(requirement -> "In".equals(requirement.getOperator()) && requirement.getValues() != null
                        && requirement.getValues().size() == 1)
                .map(requirement -> Map.entry(requirement.getKey(), requirement.getValues().getFirst()));
        Comparator<Map.Entry<String, String>> osLabelLast =
                Comparator.comparing(label -> NodeSelector.OS_LABEL.equals(label.getKey()));
        return Stream.concat(matchLabels, singleValues).min(osLabelLast.thenComparing(Map.Entry::getKey));
    }
}
