package dev.sigil.operator.signedbpfprogram;

import dev.sigil.api.SpecVerifier;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.operator.trust.TrustState;
import dev.sigil.signing.Sha256;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.VerifiedProgram;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/** The operator's check of a program: the same adapter, library and rules the node agents apply ({@link SpecVerifier}). */
public final class ProgramVerifier {
    private final Clock clock;

    public ProgramVerifier(Clock clock) {
        this.clock = clock;
    }

    public VerificationOutcome verify(SignedBpfProgramSpec spec, TrustState trust) {
        Optional<String> loaderHash = loaderHash(spec);
        return switch (trust) {
            case TrustState.Unavailable unavailable -> new VerificationOutcome.Rejected(
                    ProgramReason.TrustBundleUnavailable.name(), unavailable.message(), loaderHash);
            case TrustState.Loaded loaded -> {
                try {
                    VerifiedProgram verified = new SpecVerifier(loaded.bundle(), clock).verify(spec);
                    yield new VerificationOutcome.Verified(verified.bundle().signer(), verified.bundle().loaderHash(),
                            verified.bound());
                } catch (VerificationException e) {
                    yield new VerificationOutcome.Rejected(e.reason().name(), e.getMessage(), loaderHash);
                }
            }
        };
    }

    /** The loader hash, when the loader decodes at all: revocation lists name it even for a rejected program. */
    private static Optional<String> loaderHash(SignedBpfProgramSpec spec) {
        if (spec == null || spec.getLoader() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Sha256.tagged(Base64.getDecoder().decode(spec.getLoader())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
