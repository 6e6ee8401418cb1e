package dev.sigil.bpf.pin;

import dev.sigil.bpf.attach.AttachTarget;
import java.util.List;
import java.util.Objects;

/**
 * What the pin directory records about one loaded program, to re-adopt and re-attach it later: its ids and tag, and
 * each of its links (none, one, or one per target it was resolved to). {@code expectedAttachType}: the one the signed
 * loader loaded it with (how a uprobe links depends on it); 0 in records written before it was recorded, which
 * predate every attach kind it matters for.
 */
public record PinnedProgram(String name, int programId, String tag, int expectedAttachType, List<PinnedLink> links) {
    public PinnedProgram {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tag, "tag");
        links = List.copyOf(links);
    }

    /** A program with the one link every record before version 3 had. */
    public PinnedProgram(String name, int programId, String tag, int linkId, AttachTarget target,
            int expectedAttachType) {
        this(name, programId, tag, expectedAttachType, List.of(new PinnedLink(target, linkId)));
    }

    /** A program with one link and without an expected attach type (0), as every record before uprobes. */
    public PinnedProgram(String name, int programId, String tag, int linkId, AttachTarget target) {
        this(name, programId, tag, linkId, target, 0);
    }
}
