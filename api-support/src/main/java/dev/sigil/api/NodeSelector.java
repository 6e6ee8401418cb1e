package dev.sigil.api;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

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

    private static final NodeSelector EVERY_NODE = new NodeSelector(List.of(), Set.of());

    private final List<Predicate<Map<String, String>>> requirements;
    private final Set<String> keys;

    private NodeSelector(List<Predicate<Map<String, String>>> requirements, Set<String> keys) {
        this.requirements = requirements;
        this.keys = keys;
    }

    /**
     * An absent or empty selector selects every Linux node; requirements are ANDed.
     *
     * @throws InvalidNodeSelectorException naming the requirement that cannot be evaluated
     */
    public static NodeSelector of(LabelSelector selector) throws InvalidNodeSelectorException {
        if (selector == null) {
            return EVERY_NODE;
        }
        List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
        Set<String> keys = new TreeSet<>();
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
                String key = wanted.getKey();
                String value = wanted.getValue();
                keys.add(key);
                requirements.add(labels -> value != null && value.equals(labels.get(key)));
            }
        }
        List<LabelSelectorRequirement> expressions =
                selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            LabelSelectorRequirement expression = expressions.get(i);
            requirements.add(requirement(expression, "spec.nodeSelector.matchExpressions[" + i + "]"));
            keys.add(expression.getKey());
        }
        return new NodeSelector(List.copyOf(requirements), Set.copyOf(keys));
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
        Map<String, String> present = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(requirement -> requirement.test(present));
    }

    /** The node label keys the decision reads, the OS label included. */
    public Set<String> keys() {
        Set<String> read = new TreeSet<>(keys);
        read.add(OS_LABEL);
        return read;
    }

    private static Predicate<Map<String, String>> requirement(LabelSelectorRequirement expression, String where)
            throws InvalidNodeSelectorException {
        String key = expression.getKey();
        if (key == null || key.isBlank()) {
            throw new InvalidNodeSelectorException(where + ".key is empty");
        }
        Set<String> values = Set.copyOf(expression.getValues() == null ? List.of() : expression.getValues());
        String operator = String.valueOf(expression.getOperator());
        switch (operator) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    throw new InvalidNodeSelectorException(where + ": operator " + operator + " needs values");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    throw new InvalidNodeSelectorException(where + ": operator " + operator + " takes no values");
                }
            }
            default -> throw new InvalidNodeSelectorException(where + ": unknown operator '" + operator
                    + "' (In, NotIn, Exists, DoesNotExist)");
        }
        return switch (operator) {
            case "In" -> labels -> labels.containsKey(key) && values.contains(labels.get(key));
            case "NotIn" -> labels -> !labels.containsKey(key) || !values.contains(labels.get(key));
            case "Exists" -> labels -> labels.containsKey(key);
            default -> labels -> !labels.containsKey(key);
        };
    }

    /** A selector that cannot be evaluated; its program targets no node. */
    public static final class InvalidNodeSelectorException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidNodeSelectorException(String message) {
            super(message);
        }
    }
}
