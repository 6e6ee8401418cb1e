package dev.sigil.agent.failure;

import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import java.util.Optional;

/**
 * A program could not be loaded or attached on this node: a reason code for status (a signing
 * {@code ReasonCode} or a {@link FailureReason}), the precise message, and the verifier log tail when
 * the kernel's verifier was the one saying no.
 */
public final class NodeFailure extends Exception {
    /** Status keeps at most this much of a verifier log: the end, where the verifier says why. */
    public static final int LOG_TAIL = NodeProgramState.MAX_VERIFIER_LOG_TAIL;

    private final String reason;
    private final String verifierLogTail;

    public NodeFailure(String reason, String message, String verifierLog, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.verifierLogTail = tail(verifierLog);
    }

    public NodeFailure(FailureReason reason, String message, Throwable cause) {
        this(reason.name(), message, "", cause);
    }

    public NodeFailure(FailureReason reason, String message) {
        this(reason.name(), message, "", null);
    }

    public String reason() {
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
