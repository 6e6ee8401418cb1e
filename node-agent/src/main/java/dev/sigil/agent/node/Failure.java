package dev.sigil.agent.node;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.signing.VerificationException;
import java.util.Optional;

/** A failed step of a unit: its cause, the precise message, and the verifier's log tail when it said no. */
record Failure(FailureCause cause, String message, Optional<String> verifierLogTail) {

    static Failure of(BpfFailure failure) {
        return new Failure(new FailureCause.Kernel(failure.reason()), failure.getMessage(), failure.verifierLogTail());
    }

    static Failure of(VerificationException failure) {
        return new Failure(new FailureCause.Untrusted(failure.reason()), failure.getMessage(), Optional.empty());
    }

    static Failure invalid(String message) {
        return new Failure(new FailureCause.Invalid(), message, Optional.empty());
    }

    /** An exception no step should have thrown, as one line naming the step and the exception's type. */
    static Failure unexpected(FailureCause.Unexpected.Stage stage, RuntimeException e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return new Failure(new FailureCause.Unexpected(stage), "unexpected " + e.getClass().getSimpleName() + " during "
                + stage.name().toLowerCase(java.util.Locale.ROOT) + message, Optional.empty());
    }

    Failure withMessage(String replaced) {
        return new Failure(cause, replaced, verifierLogTail);
    }
}
