package dev.sigil.bpf.pin;

import dev.sigil.bpf.attach.AttachTarget;
import java.util.Objects;

/**
 * What the pin directory records about one attached program, to re-adopt and re-attach it later.
 * {@code expectedAttachType}: the one the signed loader loaded it with (how a uprobe links depends on it); 0 in
 * records written before it was recorded, which predate every attach kind it matters for.
 */
public record PinnedProgram(String name, int programId, String tag, int linkId, AttachTarget target,
        int expectedAttachType) {
    public PinnedProgram {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(target, "target");
    }

    /** A record without an expected attach type (0), as every record before uprobes. */
    public PinnedProgram(String name, int programId, String tag, int linkId, AttachTarget target) {
        this(name, programId, tag, linkId, target, 0);
    }
}
