package dev.sigil.operator.nodes;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which nodes a program is meant for: Linux nodes its selector matches (verified or not). Each program's
 * selector is parsed once per selector, since one program is matched against thousands of nodes; a selector
 * that cannot be evaluated targets nothing.
 */
public final class SelectorCache {
    /** What a program's targets follow from: whether it has a spec at all, and its selector. */
    private record Key(boolean hasSpec, LabelSelector selector) {
        static Key of(SignedBpfProgram program) {
            return new Key(program.getSpec() != null, program.getSpec() == null ? null : program.getSpec().getNodeSelector());
        }
    }

    private record Parsed(Key key, Optional<NodeSelector> selector) {
    }

    private final Map<String, Parsed> byProgram = new ConcurrentHashMap<>();

    public boolean targets(SignedBpfProgram program, Node node) {
        return matches(selector(program), node);
    }

    static boolean matches(Optional<NodeSelector> selector, Node node) {
        return selector.isPresent() && Nodes.isLinux(node) && selector.get().matches(Nodes.labels(node));
    }

    /**
     * The program's parsed selector; empty when it has no spec or its selector cannot be evaluated. The same
     * instance while the selector stays the same.
     */
    Optional<NodeSelector> selector(SignedBpfProgram program) {
        Key key = Key.of(program);
        Parsed known = byProgram.get(program.getMetadata().getName());
        if (known != null && known.key().equals(key)) {
            return known.selector();
        }
        Parsed parsed = new Parsed(key, parse(key));
        byProgram.put(program.getMetadata().getName(), parsed);
        return parsed.selector();
    }

    public void forget(String program) {
        byProgram.remove(program);
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
