package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What a refused bundle must show: the reason code, and a message that says what is wrong. */
final class Rejections {
    private Rejections() {
    }

    static void assertRejected(BundleVerifier verifier, SignedBundle bundle, ReasonCode reason, String messagePart) {
        rejection(verifier, bundle, reason, messagePart);
    }

    /** The rejection, after checking its reason, its message and that the message is one line. */
    static VerificationException rejection(BundleVerifier verifier, SignedBundle bundle, ReasonCode reason, String messagePart) {
        Throwable thrown = catchThrowable(() -> verifier.verify(bundle));
        assertThat(thrown).isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart)
                .extracting(Throwable::getMessage).asString().doesNotContain("\n");
        return (VerificationException) thrown;
    }
}
