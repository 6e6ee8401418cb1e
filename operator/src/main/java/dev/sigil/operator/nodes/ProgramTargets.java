package dev.sigil.operator.nodes;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Which nodes each program targets, indexed by (program, node): a program's selector is evaluated against every
 * node once, when the program (or its selector) is first seen, and afterwards only against a node that appears,
 * changes its labels or goes. So a reconcile reads its targets without scanning the nodes, and one node's change
 * costs one selector match per program, naming exactly the programs whose targets it moved.
 */
public final class ProgramTargets {
    /** What a program's targets follow from: whether it has a spec at all, and its selector. */
    private record Key(boolean hasSpec, LabelSelector selector) {
        static Key of(SignedBpfProgram program) {
            return new Key(program.getSpec() != null, program.getSpec() == null ? null : program.getSpec().getNodeSelector());
        }
    }

    /** The selector, parsed (empty when it cannot be evaluated: then it targets nothing), and the nodes it matches. */
    private record Targets(Key key, Optional<NodeSelector> selector, Set<String> nodes) {
        boolean matches(Node node) {
            return selector.isPresent() && Nodes.isLinux(node) && selector.get().matches(Nodes.labels(node));
        }
    }

    private final Map<String, Targets> byProgram = new HashMap<>();
    private Supplier<Stream<Node>> nodes = Stream::empty;

    /** Where the nodes are listed from when a program is first seen: the node informer's cache. */
    public synchronized void readNodesFrom(Supplier<Stream<Node>> source) {
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
    }

    private Targets targets(SignedBpfProgram program) {
        Key key = Key.of(program);
        String name = program.getMetadata().getName();
        Targets known = byProgram.get(name);
        if (known != null && known.key().equals(key)) {
            return known;
        }
        Targets targets = new Targets(key, parse(key), new HashSet<>());
        nodes.get().filter(targets::matches).forEach(node -> targets.nodes().add(node.getMetadata().getName()));
        byProgram.put(name, targets);
        return targets;
    }

    private static Optional<NodeSelector> parse(Key key) {
        if (!key.hasSpec()) {
            return Optional.empty();
        }
        try {
            return Optional.of(NodeSelector.of(key.selector()));
        } catch (NodeSelector.InvalidNodeSelectorException e) {
            return Optional.empty();
        }
    }
}
