package dev.sigil.signing.intent;

import dev.sigil.signing.ProgramLoad;
import dev.sigil.signing.Sha256;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SignerIdentity;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.VerifiedBundle;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link BoundProgramVerifier} with its verdicts remembered: a program that passed the whole check passes
 * again without repeating it (three signature checks and a certificate path: most of a warm apply's CPU)
 * when nothing it was checked on has changed. An agent re-applies the same resources again and again.
 *
 * <p>What a verdict is kept under is everything the check reads: the signed pieces (their bytes by SHA-256),
 * the signed intent and its signature, the resource's claims, all compared exactly. The trust bundle is the
 * one this cache was made for: a verdict never outlives its bundle, since a changed bundle (another anchor, a
 * revoked certificate or loader, the unbound-programs setting) makes a new cache. Time is the one other input,
 * so a verdict counts only from the instant it was reached until the first certificate of the bundle that
 * might be on the signer's path expires (every certificate of the bundle that has not expired yet, the signer
 * included: the path is made of them); a clock set back before that instant checks again. Only programs that
 * verified are kept; a rejection is checked afresh each time.
 *
 * <p>Working out the key hashes the signed pieces. A read handed in again, the very same {@link SignedProgram} object
 * (the agent keeps one read per resource content and hands it in on every apply of it), has its key looked up by
 * identity instead of hashed again: a read is never changed once made (its bytes are the ones the loader then
 * loads as verified). Those reads are held weakly, so the cache keeps no signed pieces alive.
 */
public final class VerifiedProgramCache {
    /** Far more programs than a node runs; beyond it the least recently used verdict goes. */
    static final int MAX_ENTRIES = 1024;

    /** The check whose verdicts are kept: {@link BoundProgramVerifier#verify}. */
    @FunctionalInterface
    public interface Check {
        VerifiedProgram verify(SignedProgram program) throws VerificationException;
    }

    private record Key(String protocol, String hash, ByteBuffer piecesSha256, Optional<SigilIntent> intent,
            ResourceClaims claims) {
    }

    private record Verdict(SignerIdentity signer, String loaderHash, VerifiedProgram.Binding binding,
            List<ProgramLoad> loads, Instant from, Instant until) {
        boolean holdsAt(Instant now) {
            return !now.isBefore(from) && now.isBefore(until);
        }
    }

    private final TrustBundle trust;
    private final Clock clock;
    private final Check check;
    private final Map<Key, Verdict> verdicts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Verdict> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    private final Map<Read, Key> keysOfReads = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Read, Key> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public VerifiedProgramCache(TrustBundle trust, Clock clock) {
        this(trust, clock, new BoundProgramVerifier(trust, clock)::verify);
    }

    /** With {@code check} standing for the verifier of {@code trust} (tests count its calls). */
    public VerifiedProgramCache(TrustBundle trust, Clock clock, Check check) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.check = Objects.requireNonNull(check, "check");
    }

    /** As {@link BoundProgramVerifier#verify}; the verified bundle returned is always {@code program}'s own. */
    public VerifiedProgram verify(SignedProgram program) throws VerificationException {
        Key key = keyOf(program);
        Instant now = clock.instant();
        Verdict known = remembered(key, now);
        if (known != null) {
            return new VerifiedProgram(new VerifiedBundle(program.bundle(), known.signer(), known.loaderHash()),
                    known.binding(), known.loads());
        }
        VerifiedProgram verified = check.verify(program);
        remember(key, new Verdict(verified.bundle().signer(), verified.bundle().loaderHash(), verified.binding(),
                verified.loads(), now, expiry(verified.bundle().signer(), now)));
        return verified;
    }

    /** The key of a read seen before, by identity; else worked out, and remembered for that read. */
    private Key keyOf(SignedProgram program) {
        Read read = new Read(program);
        synchronized (this) {
            Key known = keysOfReads.get(read);
            if (known != null) {
                return known;
            }
        }
        Key key = key(program);
        synchronized (this) {
            keysOfReads.put(read, key);
        }
        return key;
    }

    private synchronized Verdict remembered(Key key, Instant now) {
        Verdict verdict = verdicts.get(key);
        return verdict != null && verdict.holdsAt(now) ? verdict : null;
    }

    private synchronized void remember(Key key, Verdict verdict) {
        verdicts.put(key, verdict);
    }

    /** The earliest notAfter among the signer and every certificate of the bundle still valid {@code now}. */
    private Instant expiry(SignerIdentity signer, Instant now) {
        Instant until = signer.notAfter();
        for (X509Certificate certificate : trust.anchors()) {
            Instant notAfter = certificate.getNotAfter().toInstant();
            if (notAfter.isAfter(now) && notAfter.isBefore(until)) {
                until = notAfter;
            }
        }
        return until;
    }

    private static Key key(SignedProgram program) {
        SignedBundle bundle = program.bundle();
        MessageDigest digest = Sha256.newDigest();
        update(digest, bundle.loader());
        update(digest, bundle.metadata());
        update(digest, bundle.signature());
        program.intent().ifPresent(signed -> update(digest, signed.signature()));
        return new Key(bundle.protocol(), bundle.hash(), ByteBuffer.wrap(digest.digest()),
                program.intent().map(SignedProgram.SignedIntent::intent), program.claims());
    }

    /** A read, as the very object: equal only to itself while it lives, never once collected. */
    private static final class Read {
        private final WeakReference<SignedProgram> program;
        private final int identity;

        Read(SignedProgram program) {
            this.program = new WeakReference<>(program);
            this.identity = System.identityHashCode(program);
        }

        @Override
        public boolean equals(Object other) {
            SignedProgram mine = program.get();
            return other instanceof Read read && mine != null && read.program.get() == mine;
        }

        @Override
        public int hashCode() {
            return identity;
        }
    }

    /** Length first, so the boundary between pieces is part of what is hashed. */
    private static void update(MessageDigest digest, byte[] piece) {
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(piece.length).array());
        digest.update(piece);
    }
}
