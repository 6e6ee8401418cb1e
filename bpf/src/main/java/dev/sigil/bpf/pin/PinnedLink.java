package dev.sigil.bpf.pin;

import dev.sigil.bpf.attach.AttachTarget;
import java.util.Objects;

/** One link of a pinned program: where it attaches and the kernel's id of the link. */
public record PinnedLink(AttachTarget target, int linkId) {
    public PinnedLink {
        Objects.requireNonNull(target, "target");
    }
}
