package dev.sigil.kubectl;

/** A failure the user can act on: printed as one line with its exit code, no stack trace. */
final class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    PluginException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    PluginException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
