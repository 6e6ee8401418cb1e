package dev.sigil.signing.intent;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.Objects;

/**
 * What a signed intent binds one attach-target field to. Most fields bind exactly and are written as a
 * plain JSON string ({@link Fixed}), or number ({@link FixedNumber}: a uprobe's offset and pid); the fields whose value legitimately differs between clusters or nodes
 * (interface names, cgroup paths) are written as a constraint object, {@code {"exact": "eth0"}}
 * ({@link Exact}) or {@code {"glob": "eth*"}} ({@link Pattern}); a cgroup target's pods as label selectors
 * ({@link PodSelector}). New constraint kinds add new members of
 * that object without changing how existing ones are written.
 */
public sealed interface Target {
    /** Whether a resource's concrete value satisfies this binding. */
    boolean admits(String value);

    /** The JSON value the canonical form writes. */
    Object json();

    /** E.g. {@code 'sys_enter'} or {@code pattern 'eth*'}, for messages. */
    String describe();

    record Fixed(String value) implements Target {
        public Fixed {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean admits(String candidate) {
            return value.equals(candidate);
        }

        @Override
        public Object json() {
            return value;
        }

        @Override
        public String describe() {
            return "'" + value + "'";
        }
    }

    /** An integer bound exactly, written as a JSON number; the resource's value is compared as its decimal form. */
    record FixedNumber(long value) implements Target {
        public FixedNumber {
            if (Math.abs(value) > CanonicalJson.MAX_SAFE_INTEGER) {
                throw new IllegalArgumentException(value + " is beyond what JSON numbers carry exactly");
            }
        }

        @Override
        public boolean admits(String candidate) {
            return Long.toString(value).equals(candidate);
        }

        @Override
        public Object json() {
            return value;
        }

        @Override
        public String describe() {
            return Long.toString(value);
        }
    }

    record Exact(String value) implements Target {
        public Exact {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean admits(String candidate) {
            return value.equals(candidate);
        }

        @Override
        public Object json() {
            return Map.of("exact", value);
        }

        @Override
        public String describe() {
            return "'" + value + "'";
        }
    }

    record Pattern(Glob glob) implements Target {
        public Pattern {
            Objects.requireNonNull(glob, "glob");
        }

        @Override
        public boolean admits(String candidate) {
            return glob.matches(candidate);
        }

        @Override
        public Object json() {
            return Map.of("glob", glob.toString());
        }

        @Override
        public String describe() {
            return "pattern '" + glob + "'";
        }
    }

    /**
     * The pods of a cgroup target: the resource's pod selector must include every term of {@link #selector} and its
     * namespace selector every term of {@link #namespaceSelector} (absent: every namespace), so it selects no pod
     * the signer did not. The resource's value is {@link #claimed()} of its own selectors.
     */
    record PodSelector(LabelSelectorTerms selector, LabelSelectorTerms namespaceSelector) implements Target {
        private static final String BETWEEN_TERMS = "; ";
        private static final String BEFORE_NAMESPACES = " | ";

        /** @throws IllegalArgumentException when a key, value or operator is not Kubernetes label syntax */
        public PodSelector {
            Objects.requireNonNull(selector, "selector");
            selector.terms();
            if (namespaceSelector != null) {
                namespaceSelector.terms();
            }
        }

        /** This pod target as a resource's value, for {@link #admits}: the canonical terms of both selectors. */
        public String claimed() {
            return String.join(BETWEEN_TERMS, selector.terms()) + BEFORE_NAMESPACES
                    + String.join(BETWEEN_TERMS, namespaceTerms());
        }

        @Override
        public boolean admits(String candidate) {
            int split = candidate.indexOf(BEFORE_NAMESPACES);
            return split >= 0 && terms(candidate.substring(0, split)).containsAll(selector.terms())
                    && terms(candidate.substring(split + BEFORE_NAMESPACES.length())).containsAll(namespaceTerms());
        }

        @Override
        public Object json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("selector", selector.json());
            if (namespaceSelector != null) {
                json.put("namespaceSelector", namespaceSelector.json());
            }
            return json;
        }

        @Override
        public String describe() {
            return "pods with " + describe(selector.terms()) + " in " + (namespaceTerms().isEmpty() ? "every namespace"
                    : "namespaces with " + describe(namespaceTerms()));
        }

        private static String describe(SortedSet<String> terms) {
            return terms.isEmpty() ? "any labels" : String.join(", ", terms) + " (or more)";
        }

        private SortedSet<String> namespaceTerms() {
            return namespaceSelector == null ? new TreeSet<>() : namespaceSelector.terms();
        }

        private static Set<String> terms(String joined) {
            return joined.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(joined.split(BETWEEN_TERMS, -1)));
        }
    }
}
