package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a refused bundle must show: the reason code, and a message that says what is wrong. */
final class Rejections {
    private Rejections() {
    }

    static void assertRejected(BundleVerifier verifier, SignedBundle bundle, ReasonCode reason, String messagePart) {
        assertThatThrownBy(() -> verifier.verify(bundle))
                .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }
}
