package dev.sigil.bpf.failure;

import java.util.Objects;
import java.util.Optional;

/**
 * The kernel side could not load, attach or pin a program: a typed {@link FailureReason}, the precise
 * message, and the verifier log tail when the kernel's verifier was the one saying no.
 */
public final class BpfFailure extends Exception {
    /** Status keeps at most this much of a verifier log: the end, where the verifier says why. */
    public static final int LOG_TAIL = 4096;

    private final FailureReason reason;
    private final String verifierLogTail;

    public BpfFailure(FailureReason reason, String message, String verifierLog, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.verifierLogTail = tail(verifierLog);
    }

    public BpfFailure(FailureReason reason, String message, Throwable cause) {
        this(reason, message, "", cause);
    }

    public BpfFailure(FailureReason reason, String message) {
        this(reason, message, "", null);
    }

    public FailureReason reason() {
        return reason;
    }

    public Optional<String> verifierLogTail() {
        return verifierLogTail.isEmpty() ? Optional.empty() : Optional.of(verifierLogTail);
    }

    /** The last {@link #LOG_TAIL} characters, cut at a line start so the first line is whole. */
    static String tail(String log) {
        if (log == null) {
            return "";
        }
        String trimmed = log.strip();
        if (trimmed.length() <= LOG_TAIL) {
            return trimmed;
        }
        String end = trimmed.substring(trimmed.length() - LOG_TAIL);
        int newline = end.indexOf('\n');
        return newline >= 0 && newline < end.length() - 1 ? end.substring(newline + 1) : end;
    }
}
