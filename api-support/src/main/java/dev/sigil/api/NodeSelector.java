package dev.sigil.api;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes run a SignedBpfProgram: Linux nodes (their {@code kubernetes.io/os} label says so) whose labels
 * its {@code spec.nodeSelector} matches, by the Kubernetes label-selector rules. The one evaluation the
 * operator (targeting, the agent label), every agent (what to load) and kubectl-sigil (targeted nodes) use,
 * so they cannot disagree about a node. A selector is checked once and then evaluated against many nodes.
 */
public final class NodeSelector {
    /** The label the kubelet sets on every node; a node without it is not known to be Linux and runs nothing. */
    public static final String OS_LABEL = "kubernetes.io/os";
    public static final String LINUX = "linux";

    private final LabelMatcher matcher;

    private NodeSelector(LabelMatcher matcher) {
        this.matcher = matcher;
    }

    /**
     * An absent or empty selector selects every Linux node; requirements are ANDed.
     *
     * @throws InvalidNodeSelectorException naming the requirement that cannot be evaluated
     */
    public static NodeSelector of(LabelSelector selector) throws InvalidNodeSelectorException {
        try {
            return new NodeSelector(LabelMatcher.of(selector, "spec.nodeSelector"));
        } catch (LabelMatcher.InvalidLabelSelectorException e) {
            throw new InvalidNodeSelectorException(e.getMessage());
        }
    }

    /**
     * The program's selector; empty when the program has no spec or its selector cannot be evaluated: such a
     * program runs nowhere.
     */
    public static Optional<NodeSelector> ofProgram(SignedBpfProgram program) {
        if (program.getSpec() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(program.getSpec().getNodeSelector()));
        } catch (InvalidNodeSelectorException e) {
            return Optional.empty();
        }
    }

    /** Whether the program runs on a node with these labels. */
    public static boolean selects(SignedBpfProgram program, Map<String, String> nodeLabels) {
        return ofProgram(program).map(selector -> selector.selects(nodeLabels)).orElse(false);
    }

    /**
     * Whether a node with these labels runs the program: a Linux node the selector matches. A node without the
     * OS label runs nothing: the kubelet always sets it, and a node that does not say it is Linux is not taken
     * to be (the operator never labelled such nodes for an agent; agents used to assume Linux).
     */
    public boolean selects(Map<String, String> nodeLabels) {
        Map<String, String> labels = nodeLabels == null ? Map.of() : nodeLabels;
        return LINUX.equals(labels.get(OS_LABEL)) && matches(labels);
    }

    /** Whether the labels satisfy every requirement, by the label-selector rules alone (whatever the OS). */
    public boolean matches(Map<String, String> labels) {
        return matcher.matches(labels);
    }

    /** The node label keys the decision reads, the OS label included. */
    public Set<String> keys() {
        Set<String> read = new TreeSet<>(matcher.keys());
        read.add(OS_LABEL);
        return read;
    }

    /** A selector that cannot be evaluated; its program targets no node. */
    public static final class InvalidNodeSelectorException extends LabelMatcher.InvalidLabelSelectorException {
        private static final long serialVersionUID = 1L;

        public InvalidNodeSelectorException(String message) {
            super(message);
        }
    }
}
