package dev.sigil.cli;

import dev.sigil.api.SignedSpecs;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pod target of the {@code cgroup:} attach notation, {@code pods:SELECTOR[:namespaces:SELECTOR]}, each selector
 * in kubectl's {@code -l} syntax: requirements separated by commas, {@code key=value} (or {@code ==}),
 * {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)}, {@code key}, {@code !key}. Label keys and values
 * hold no ':', so the notation splits unambiguously.
 */
final class SelectorNotation {
    static final String PODS = "pods";
    private static final String NAMESPACES = "namespaces";
    private static final Pattern SET = Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\((.*)\\)");
    private static final Pattern EQUALITY = Pattern.compile("([^!=\\s]+)\\s*(==|=|!=)\\s*(\\S*)");

    private SelectorNotation() {
    }

    /** {@code pods:SELECTOR[:namespaces:SELECTOR]}, the {@code cgroup:} target without its attach type. */
    static PodTarget podTarget(String notation) {
        String[] parts = notation.split(":", -1);
        boolean podsOnly = parts.length == 2 && parts[0].equals(PODS);
        boolean withNamespaces = parts.length == 4 && parts[0].equals(PODS) && parts[2].equals(NAMESPACES);
        if (!podsOnly && !withNamespaces) {
            throw new IllegalArgumentException("a pod target is pods:SELECTOR[:namespaces:SELECTOR] (e.g. "
                    + "'pods:app=web,tier in (a,b):namespaces:team=pay'), got '" + notation + "'");
        }
        return new PodTarget(selector(parts[1]), withNamespaces ? selector(parts[3]) : null);
    }

    /** A selector in kubectl's syntax; empty selects everything. */
    static LabelSelector selector(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        List<LabelSelectorRequirement> expressions = new ArrayList<>();
        for (String term : terms(text)) {
            Matcher set = SET.matcher(term);
            Matcher equality = EQUALITY.matcher(term);
            if (set.matches()) {
                expressions.add(new LabelSelectorRequirement(set.group(1), set.group(2).equals("in") ? "In" : "NotIn",
                        Arrays.stream(set.group(3).split(",", -1)).map(String::strip).toList()));
            } else if (equality.matches() && equality.group(2).equals("!=")) {
                expressions.add(new LabelSelectorRequirement(equality.group(1), "NotIn", List.of(equality.group(3))));
            } else if (equality.matches()) {
                if (labels.putIfAbsent(equality.group(1), equality.group(3)) != null) {
                    throw new IllegalArgumentException("label " + equality.group(1) + " is required twice in '" + text + "'");
                }
            } else if (term.startsWith("!")) {
                expressions.add(new LabelSelectorRequirement(term.substring(1).strip(), "DoesNotExist", List.of()));
            } else {
                expressions.add(new LabelSelectorRequirement(term, "Exists", List.of()));
            }
        }
        LabelSelector selector = new LabelSelector(expressions.isEmpty() ? null : expressions, labels.isEmpty() ? null : labels);
        SignedSpecs.terms(selector).terms();
        return selector;
    }

    /** The comma-separated terms, commas inside a set's parentheses kept. */
    private static List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i == text.length() ? ',' : text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0 || depth > 1) {
                throw new IllegalArgumentException("unbalanced parentheses in selector '" + text + "'");
            }
            if (c == ',' && depth == 0) {
                String term = text.substring(start, i).strip();
                if (!term.isEmpty()) {
                    terms.add(term);
                } else if (!text.isBlank()) {
                    throw new IllegalArgumentException("empty requirement in selector '" + text + "'");
                }
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced parentheses in selector '" + text + "'");
        }
        return terms;
    }
}
