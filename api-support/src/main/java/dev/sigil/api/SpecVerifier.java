package dev.sigil.api;

import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.BoundProgramVerifier;
import dev.sigil.signing.intent.VerifiedProgram;
import java.time.Clock;

/**
 * Verifies a {@code SignedBpfProgram} spec against a trust bundle: the same call in {@code sigil verify}, the
 * operator's Verified condition and every agent before anything is loaded ({@link BoundProgramVerifier}).
 */
public final class SpecVerifier {
    private final BoundProgramVerifier verifier;

    public SpecVerifier(TrustBundle trust, Clock clock) {
        this.verifier = new BoundProgramVerifier(trust, clock);
    }

    public VerifiedProgram verify(SignedBpfProgramSpec spec) throws VerificationException {
        return verifier.verify(SignedSpecs.read(spec));
    }
}
