package dev.sigil.signing.intent;

import java.util.Map;
import java.util.Objects;

/**
 * What a signed intent binds one attach-target field to. Most fields bind exactly and are written as a
 * plain JSON string ({@link Fixed}); the fields whose value legitimately differs between clusters or nodes
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
