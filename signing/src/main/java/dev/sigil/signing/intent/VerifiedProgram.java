package dev.sigil.signing.intent;

import dev.sigil.signing.ProgramLoad;
import dev.sigil.signing.VerifiedBundle;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A resource that passed every check: its verified bundle, whether a signed intent binds it, and the program loads its
 * signed metadata holds, in the loader's order (read once by the check, which compared the resource's programs with
 * them; the loader's expected attach types come from here).
 */
public record VerifiedProgram(VerifiedBundle bundle, Binding binding, List<ProgramLoad> loads) {
    public VerifiedProgram {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(binding, "binding");
        loads = List.copyOf(loads);
    }

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
