package dev.sigil.api.resource;

/**
 * A resource that cannot be read or breaks the API's rules: one line naming the source, where, and what is wrong
 * (e.g. {@code counter.yaml: line 14: spec.programs[0].name: 'count/x' is not a program name ...}).
 */
public final class ResourceException extends Exception {
    public ResourceException(String message) {
        super(message);
    }

    public ResourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
