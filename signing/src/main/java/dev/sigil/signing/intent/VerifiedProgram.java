package dev.sigil.signing.intent;

import dev.sigil.signing.VerifiedBundle;
import java.time.Instant;
import java.util.Optional;

/** A resource that passed every check: its verified bundle, and whether a signed intent binds it. */
public record VerifiedProgram(VerifiedBundle bundle, Binding binding) {

    /** What decides where the program runs. */
    public sealed interface Binding {
        /** The signer approved the resource's programs, attach points, maps, enforcement and required labels. */
        record Bound(SigilIntent intent, Optional<Instant> signedAt) implements Binding {
        }

        /** No signed intent; the trust bundle admits such resources, which bind nothing beyond the loader. */
        record Unbound() implements Binding {
        }
    }

    public boolean bound() {
        return binding instanceof Binding.Bound;
    }
}
