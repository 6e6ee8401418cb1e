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

    Failure withMessage(String replaced) {
        return new Failure(cause, replaced, verifierLogTail);
    }
}
