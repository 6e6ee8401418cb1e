package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.pin.PinnedLink;
import dev.sigil.bpf.sys.Fd;
import java.nio.file.Path;

/** One link the host holds for a program: its target, fd, kernel id and where it is pinned. */
final class HostedLink {
    final AttachTarget target;
    final Path pin;
    Fd link;
    int linkId;

    HostedLink(AttachTarget target, Path pin, Fd link, int linkId) {
        this.target = target;
        this.pin = pin;
        this.link = link;
        this.linkId = linkId;
    }

    PinnedLink record() {
        return new PinnedLink(target, linkId);
    }

    Attachment attachment() {
        return Attachment.attached(target, linkId, pin);
    }
}
