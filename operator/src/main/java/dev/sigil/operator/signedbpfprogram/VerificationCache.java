package dev.sigil.operator.signedbpfprogram;

import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.operator.trust.TrustState;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.Sha256;
import dev.sigil.signing.TrustBundle;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's verdicts, remembered: a program is verified once per spec and trust bundle instead of on every
 * reconcile (its nodes' reports reconcile it often; a check costs a millisecond or more). Wraps the check
 * ({@link ProgramVerifier#verify}), so what is verified can change without touching the cache.
 *
 * <p>The key is a SHA-256 digest of the whole spec: every signed piece and anything a verdict may ever depend
 * on. Entries belong to one trust bundle (one parse of the trust ConfigMap's resourceVersion): another bundle
 * starts afresh. {@code Verified} lasts until the signer's certificate, or any certificate of the bundle still
 * valid then, expires; a rejection lasts as long as the bundle, except {@code CertificateNotYetValid}, which time
 * undoes and is never kept. Without a usable bundle nothing is cached.
 */
public final class VerificationCache {
    static final int MAX_ENTRIES = 4096;

    /** The check whose verdicts are kept. */
    @FunctionalInterface
    public interface Check {
        VerificationOutcome verify(SignedBpfProgramSpec spec, TrustState trust);
    }

    private record Verdict(VerificationOutcome outcome, Instant until) {
    }

    private final Check check;
    private final Clock clock;
    private final Map<String, Verdict> verdicts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    private TrustBundle bundle;

    public VerificationCache(Check check, Clock clock) {
        this.check = check;
        this.clock = clock;
    }

    public VerificationOutcome verify(SignedBpfProgramSpec spec, TrustState trust) {
        if (spec == null || !(trust instanceof TrustState.Loaded loaded)) {
            return check.verify(spec, trust);
        }
        String key = Sha256.hex(Serialization.asJson(spec).getBytes(StandardCharsets.UTF_8));
        Optional<VerificationOutcome> known = lookup(loaded.bundle(), key, clock.instant());
        if (known.isPresent()) {
            return known.get();
        }
        VerificationOutcome outcome = check.verify(spec, trust);
        validUntil(outcome, loaded.bundle()).ifPresent(until -> remember(loaded.bundle(), key, new Verdict(outcome, until)));
        return outcome;
    }

    private synchronized Optional<VerificationOutcome> lookup(TrustBundle current, String key, Instant now) {
        if (current != bundle) {
            verdicts.clear();
            bundle = current;
            return Optional.empty();
        }
        Verdict verdict = verdicts.get(key);
        return verdict != null && now.isBefore(verdict.until()) ? Optional.of(verdict.outcome()) : Optional.empty();
    }

    private synchronized void remember(TrustBundle verifiedWith, String key, Verdict verdict) {
        if (verifiedWith == bundle) {
            verdicts.put(key, verdict);
        }
    }

    private Optional<Instant> validUntil(VerificationOutcome outcome, TrustBundle trust) {
        return switch (outcome) {
            case VerificationOutcome.Verified verified -> {
                Instant now = clock.instant();
                // The chain's certificates are all in the bundle and were valid just now.
                Instant until = trust.anchors().stream()
                        .map(X509Certificate::getNotAfter)
                        .map(java.util.Date::toInstant)
                        .filter(notAfter -> notAfter.isAfter(now))
                        .reduce(verified.signer().notAfter(), (a, b) -> a.isBefore(b) ? a : b);
                yield Optional.of(until);
            }
            case VerificationOutcome.Rejected rejected -> ReasonCode.CertificateNotYetValid.name().equals(rejected.reason())
                    ? Optional.empty() : Optional.of(Instant.MAX);
        };
    }
}
