package dev.sigil.crds.schema;

/** One reason the API server would refuse an object: where, and what it would say. */
public record Violation(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
