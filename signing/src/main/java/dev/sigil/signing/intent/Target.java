package dev.sigil.signing.intent;

import java.util.Map;
import java.util.Objects;

/**
 * What a signed intent binds one attach-target field to. Most fields bind exactly and are written as a
 * plain JSON string ({@link Fixed}), or number ({@link FixedNumber}: a uprobe's offset and pid); the fields whose value legitimately differs between clusters or nodes
 * (interface names, cgroup paths) are written as a constraint object, {@code {"exact": "eth0"}}
 * ({@link Exact}) or {@code {"glob": "eth*"}} ({@link Pattern}). New constraint kinds add new members of
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
}
