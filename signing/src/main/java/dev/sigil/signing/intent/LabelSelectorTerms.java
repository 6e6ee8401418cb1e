package dev.sigil.signing.intent;

import dev.sigil.signing.Messages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector's terms, all of which must hold: {@code matchLabels} and {@code matchExpressions}, as
 * the resource or the signed intent writes them. {@link #terms()} is its canonical form, one string per
 * requirement ({@code app=web}, {@code tier in (a,b)}, {@code tier notin (a)}, {@code debug}, {@code !debug}), in
 * which {@code matchLabels: {app: web}} and {@code app In [web]} are the same term: a selector whose terms include
 * another's selects no more than it.
 */
public record LabelSelectorTerms(SortedMap<String, String> matchLabels, List<Requirement> matchExpressions) {
    public static final LabelSelectorTerms EVERYTHING = new LabelSelectorTerms(new TreeMap<>(), List.of());

    /** Kubernetes' label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    private static final Pattern KEY = Pattern.compile(
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
    private static final Pattern VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");

    public LabelSelectorTerms {
        matchLabels = Collections.unmodifiableSortedMap(new TreeMap<>(matchLabels));
        matchExpressions = List.copyOf(matchExpressions);
    }

    /** One {@code matchExpressions} term: key, operator ({@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}), values. */
    public record Requirement(String key, String operator, List<String> values) {
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = List.copyOf(values);
        }
    }

    /** Whether every object this selector admits carries {@code key=value}. */
    public boolean requires(String key, String value) {
        return value.equals(matchLabels.get(key)) || matchExpressions.stream().anyMatch(requirement ->
                requirement.key().equals(key) && requirement.operator().equals("In")
                        && requirement.values().equals(List.of(value)));
    }

    /**
     * The canonical requirements. Keys and values must be Kubernetes label syntax, which has no space, ';', ',' or
     * parenthesis: the terms cannot be forged by a value that looks like a separator.
     *
     * @throws IllegalArgumentException naming the key, value or operator that is not
     */
    public SortedSet<String> terms() {
        SortedSet<String> terms = new TreeSet<>();
        matchLabels.forEach((key, value) -> terms.add(label(key) + "=" + value(key, value)));
        for (Requirement requirement : matchExpressions) {
            String key = label(requirement.key());
            SortedSet<String> values = new TreeSet<>();
            requirement.values().forEach(value -> values.add(value(key, value)));
            terms.add(switch (requirement.operator()) {
                case "In" -> values.size() == 1 ? key + "=" + values.first() : key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> throw new IllegalArgumentException("label selector operator '" + Messages.shown(requirement.operator())
                        + "' is none of In, NotIn, Exists, DoesNotExist");
            });
        }
        return terms;
    }

    /** The selector in the shape of Kubernetes' {@code LabelSelector}, empty members left out. */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!matchLabels.isEmpty()) {
            json.put("matchLabels", new TreeMap<>(matchLabels));
        }
        if (!matchExpressions.isEmpty()) {
            List<Object> expressions = new ArrayList<>();
            for (Requirement requirement : matchExpressions) {
                Map<String, Object> expression = new LinkedHashMap<>();
                expression.put("key", requirement.key());
                expression.put("operator", requirement.operator());
                if (!requirement.values().isEmpty()) {
                    expression.put("values", requirement.values());
                }
                expressions.add(expression);
            }
            json.put("matchExpressions", expressions);
        }
        return json;
    }

    private static String label(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("label key '" + Messages.shown(key) + "' is not a Kubernetes label key");
        }
        return key;
    }

    private static String value(String key, String value) {
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("the value of label " + key + " is not a Kubernetes label value");
        }
        return value;
    }
}
