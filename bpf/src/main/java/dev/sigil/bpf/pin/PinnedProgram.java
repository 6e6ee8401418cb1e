package dev.sigil.bpf.pin;

import dev.sigil.bpf.attach.AttachTarget;
import java.util.Objects;

/** What the pin directory records about one attached program, to re-adopt and re-attach it later. */
public record PinnedProgram(String name, int programId, String tag, int linkId, AttachTarget target) {
    public PinnedProgram {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(target, "target");
    }
}
