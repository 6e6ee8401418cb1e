package dev.sigil.signing.intent;

import dev.sigil.signing.SignedBundle;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything verification needs from one resource: the signed pieces, the signed intent if it carries one,
 * and what it asks a node to do.
 */
public record SignedProgram(SignedBundle bundle, Optional<SignedIntent> intent, ResourceClaims claims) {
    public SignedProgram {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(claims, "claims");
    }

    /** An intent and its detached CMS signature over {@link SigilIntent#canonicalBytes()}. */
    public record SignedIntent(SigilIntent intent, byte[] signature) {
        public SignedIntent {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(signature, "signature");
        }
    }
}
