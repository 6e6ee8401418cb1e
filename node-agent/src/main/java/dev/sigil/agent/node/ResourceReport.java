package dev.sigil.agent.node;

import dev.sigil.bpf.loader.AppliedEnforcement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the host reports about one resource: where it stands and since when, which enforcement gated it
 * and which of its programs run, and on failure why. The agent's own type; the node's status
 * ({@code NodeProgramState}) is built from it by {@code dev.sigil.agent.translate.StatusTranslation}.
 */
public record ResourceReport(String name, OptionalLong generation, Optional<String> loaderHash, Phase phase,
        Instant since, Optional<AppliedEnforcement> enforcement, List<RunningProgram> programs,
        Optional<FailureCause> cause, Optional<String> message, Optional<String> verifierLogTail) {

    public enum Phase {
        /** Its programs are loaded, attached and pinned. */
        Attached,
        /** The last thing the host did with it failed; {@code programs} lists an older generation still running. */
        Failed,
        /** The host let go of it (or had nothing of it to let go of). */
        Unloaded
    }

    public ResourceReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(loaderHash, "loaderHash");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(enforcement, "enforcement");
        programs = List.copyOf(programs);
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(verifierLogTail, "verifierLogTail");
    }
}
