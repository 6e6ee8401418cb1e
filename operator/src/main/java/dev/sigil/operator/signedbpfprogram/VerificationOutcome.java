package dev.sigil.operator.signedbpfprogram;

import dev.sigil.signing.SignerIdentity;
import java.util.Optional;

/** What the operator's own signature check concluded about one program generation. */
public sealed interface VerificationOutcome {
    /** The loader hash, when the pieces could be decoded at all (revocation lists name it). */
    Optional<String> loaderHash();

    /** @param bound whether a signed intent binds the program (false: admitted unbound by the trust bundle) */
    record Verified(SignerIdentity signer, String hash, boolean bound) implements VerificationOutcome {
        @Override
        public Optional<String> loaderHash() {
            return Optional.of(hash);
        }
    }

    /**
     * @param reason CamelCase reason code: a signing {@code ReasonCode} name, or
     *     {@link ProgramReason#TrustBundleUnavailable}
     */
    record Rejected(String reason, String message, Optional<String> loaderHash) implements VerificationOutcome {
    }
}
