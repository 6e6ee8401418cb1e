package dev.sigil.operator.nodes;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A program's {@code spec.nodeSelector}, checked once and then evaluated against node labels with
 * Kubernetes label-selector semantics. Empty or absent selects every node.
 */
public final class NodeSelector {
    private static final NodeSelector EVERY_NODE = new NodeSelector(List.of());

    private final List<Predicate<Map<String, String>>> requirements;

    private NodeSelector(List<Predicate<Map<String, String>>> requirements) {
        this.requirements = requirements;
    }

    /** @throws InvalidNodeSelectorException naming the requirement that cannot be evaluated */
    public static NodeSelector of(LabelSelector selector) throws InvalidNodeSelectorException {
        if (selector == null) {
            return EVERY_NODE;
        }
        List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((key, value) -> requirements.add(labels -> value.equals(labels.get(key))));
        }
        List<LabelSelectorRequirement> expressions =
                selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            requirements.add(requirement(expressions.get(i), "spec.nodeSelector.matchExpressions[" + i + "]"));
        }
        return new NodeSelector(List.copyOf(requirements));
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> present = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(requirement -> requirement.test(present));
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

    /** A selector the operator cannot evaluate; the program then targets no node. */
    public static final class InvalidNodeSelectorException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidNodeSelectorException(String message) {
            super(message);
        }
    }
}
