package dev.sigil.operator.signedbpfprogram;

import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.operator.trust.TrustState;
import dev.sigil.signing.BundleVerifier;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.VerifiedBundle;
import java.time.Clock;
import java.util.Optional;

/** The operator's check of a program's signed pieces: the same library and rules the node agents apply. */
public final class ProgramVerifier {
    private final Clock clock;

    public ProgramVerifier(Clock clock) {
        this.clock = clock;
    }

    public VerificationOutcome verify(SignedBpfProgramSpec spec, TrustState trust) {
        if (spec == null) {
            return new VerificationOutcome.Rejected(ReasonCode.MalformedLoader.name(), "the resource has no spec",
                    Optional.empty());
        }
        SignedBundle bundle;
        try {
            bundle = SignedBundle.fromBase64(spec.getProtocol() == null ? null : spec.getProtocol().name(),
                    spec.getLoader(), spec.getMetadata(), spec.getHash(), spec.getSignature());
        } catch (VerificationException e) {
            return new VerificationOutcome.Rejected(e.reason().name(), e.getMessage(), Optional.empty());
        }
        return switch (trust) {
            case TrustState.Unavailable unavailable -> new VerificationOutcome.Rejected(
                    ProgramReason.TrustBundleUnavailable.name(), unavailable.message(), Optional.of(bundle.loaderHash()));
            case TrustState.Loaded loaded -> verify(bundle, loaded.bundle());
        };
    }

    private VerificationOutcome verify(SignedBundle bundle, TrustBundle trust) {
        try {
            VerifiedBundle verified = new BundleVerifier(trust, clock).verify(bundle);
            return new VerificationOutcome.Verified(verified.signer(), verified.loaderHash());
        } catch (VerificationException e) {
            return new VerificationOutcome.Rejected(e.reason().name(), e.getMessage(), Optional.of(bundle.loaderHash()));
        }
    }
}
