package dev.sigil.agent.node;

import java.util.List;

/**
 * One program of a resource as it runs: kernel ids, tag, and each of its targets (attached, failed or detached); a
 * program of a fixed target has one.
 */
public record RunningProgram(String name, int programId, String tag, List<Attachment> attachments) {
    public RunningProgram {
        attachments = List.copyOf(attachments);
    }

    /** Its attachments that hold a link. */
    public List<Attachment> attached() {
        return attachments.stream().filter(attachment -> attachment.state() == Attachment.State.Attached).toList();
    }
}
