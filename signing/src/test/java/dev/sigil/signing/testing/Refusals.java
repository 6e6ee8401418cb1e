package dev.sigil.signing.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.VerificationException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** A verification refusal with its reason code; the returned assertion goes on to its message. */
public final class Refusals {
    private Refusals() {
    }

    public static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(ThrowingCallable call,
            ReasonCode reason) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(VerificationException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
