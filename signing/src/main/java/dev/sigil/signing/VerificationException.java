package dev.sigil.signing;

/** A signed bundle failed one verification step; {@link #getMessage()} says precisely what was wrong. */
public final class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ReasonCode reason;

    public VerificationException(ReasonCode reason, String message) {
        super(message);
        this.reason = reason;
    }

    public VerificationException(ReasonCode reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public ReasonCode reason() {
        return reason;
    }
}
