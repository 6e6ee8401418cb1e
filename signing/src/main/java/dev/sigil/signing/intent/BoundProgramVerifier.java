package dev.sigil.signing.intent;

import dev.sigil.signing.BundleVerifier;
import dev.sigil.signing.GenLoaderMetadata;
import dev.sigil.signing.IntentSignatures;
import dev.sigil.signing.ProgramLoad;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.UnboundPrograms;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.VerifiedBundle;
import dev.sigil.signing.intent.SignedProgram.SignedIntent;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole check a resource passes before anything of it reaches a kernel, the same for {@code sigil verify},
 * the operator and every agent, one step after another, the first failure deciding:
 * <ol>
 *   <li>the signed pieces ({@link BundleVerifier}: signature over the loader, hashes, prologue, signer, chain);</li>
 *   <li>the signed intent: present (else {@link ReasonCode#IntentMissing}, unless the trust bundle admits
 *       unbound programs), signed by the loader's signer over its canonical bytes, binding this loader and
 *       metadata, and satisfied by the resource ({@link IntentComparison});</li>
 *   <li>the programs and attach points against the load attributes in the signed metadata
 *       ({@link AttachCompatibility}), bound or not.</li>
 * </ol>
 */
public final class BoundProgramVerifier {
    private final TrustBundle trust;
    private final BundleVerifier bundles;

    public BoundProgramVerifier(TrustBundle trust, Clock clock) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.bundles = new BundleVerifier(trust, clock);
    }

    public VerifiedProgram verify(SignedProgram program) throws VerificationException {
        VerifiedBundle verified = bundles.verify(program.bundle());
        VerifiedProgram.Binding binding = switch (program.intent().orElse(null)) {
            case null -> unbound();
            case SignedIntent signed -> bound(signed, program, verified);
        };
        List<ProgramLoad> loads = GenLoaderMetadata.programs(program.bundle().loader(), program.bundle().metadata());
        AttachCompatibility.require(program.claims().programs(), loads);
        return new VerifiedProgram(verified, binding, loads);
    }

    private VerifiedProgram.Binding unbound() throws VerificationException {
        if (trust.unboundPrograms() != UnboundPrograms.Admit) {
            throw new VerificationException(ReasonCode.IntentMissing, "the resource carries no signed intent "
                    + "(spec.intent, spec.intentSignature): re-sign it with a current sigil sign, or admit unbound "
                    + "programs in the trust bundle");
        }
        return new VerifiedProgram.Binding.Unbound();
    }

    private VerifiedProgram.Binding bound(SignedIntent signed, SignedProgram program, VerifiedBundle verified)
            throws VerificationException {
        Optional<Instant> signedAt = IntentSignatures.verify(signed.intent().canonicalBytes(), signed.signature(),
                signerCertificate(verified));
        IntentComparison.requireSatisfied(signed.intent(), program.bundle(), program.claims());
        return new VerifiedProgram.Binding.Bound(signed.intent(), signedAt);
    }

    /** The certificate that verified the loader signature: the intent must be signed by the same one. */
    private X509Certificate signerCertificate(VerifiedBundle verified) throws VerificationException {
        return trust.anchors().stream()
                .filter(certificate -> dev.sigil.signing.Certificates.fingerprintSha256(certificate)
                        .equals(verified.signer().fingerprintSha256()))
                .findFirst()
                .orElseThrow(() -> new VerificationException(ReasonCode.IntentSignatureInvalid,
                        "the loader's signer " + verified.signer().subject() + " is not in the trust bundle"));
    }
}
