package dev.sigil.api;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A Kubernetes label selector, checked once and then evaluated against many label sets by the label-selector rules:
 * {@code matchLabels} and {@code matchExpressions} all hold; absent or empty selects everything. The one matcher of
 * node selectors ({@link NodeSelector}) and of the pod and namespace selectors of pod targets.
 */
public final class LabelMatcher {
    private static final LabelMatcher EVERYTHING = new LabelMatcher(List.of(), Set.of());

    private final List<Predicate<Map<String, String>>> requirements;
    private final Set<String> keys;

    private LabelMatcher(List<Predicate<Map<String, String>>> requirements, Set<String> keys) {
        this.requirements = requirements;
        this.keys = keys;
    }

    /**
     * @param where the selector's field, for messages, e.g. {@code spec.nodeSelector}
     * @throws InvalidLabelSelectorException naming the requirement that cannot be evaluated
     */
    public static LabelMatcher of(LabelSelector selector, String where) throws InvalidLabelSelectorException {
        if (selector == null) {
            return EVERYTHING;
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
            requirements.add(requirement(expression, where + ".matchExpressions[" + i + "]"));
            keys.add(expression.getKey());
        }
        return new LabelMatcher(List.copyOf(requirements), Set.copyOf(keys));
    }

    /** Whether the labels satisfy every requirement. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> present = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(requirement -> requirement.test(present));
    }

    /** The label keys the decision reads. */
    public Set<String> keys() {
        return keys;
    }

    private static Predicate<Map<String, String>> requirement(LabelSelectorRequirement expression, String where)
            throws InvalidLabelSelectorException {
        String key = expression.getKey();
        if (key == null || key.isBlank()) {
            throw new InvalidLabelSelectorException(where + ".key is empty");
        }
        Set<String> values = Set.copyOf(expression.getValues() == null ? List.of() : expression.getValues());
        String operator = String.valueOf(expression.getOperator());
        switch (operator) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    throw new InvalidLabelSelectorException(where + ": operator " + operator + " needs values");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    throw new InvalidLabelSelectorException(where + ": operator " + operator + " takes no values");
                }
            }
            default -> throw new InvalidLabelSelectorException(where + ": unknown operator '" + operator
                    + "' (In, NotIn, Exists, DoesNotExist)");
        }
        return switch (operator) {
            case "In" -> labels -> labels.containsKey(key) && values.contains(labels.get(key));
            case "NotIn" -> labels -> !labels.containsKey(key) || !values.contains(labels.get(key));
            case "Exists" -> labels -> labels.containsKey(key);
            default -> labels -> !labels.containsKey(key);
        };
    }

    /** A selector that cannot be evaluated: it selects nothing. */
    public static class InvalidLabelSelectorException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidLabelSelectorException(String message) {
            super(message);
        }
    }
}
