package dev.sigil.operator.trust;

import dev.sigil.signing.TrustBundle;

/** The operator's trust bundle as read from its ConfigMap, or why there is none. */
public sealed interface TrustState {
    record Loaded(TrustBundle bundle) implements TrustState {
    }

    /** Fail closed: with no usable bundle nothing verifies, so nothing is scheduled. */
    record Unavailable(String message) implements TrustState {
    }
}
