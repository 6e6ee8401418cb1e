package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
import java.nio.file.Path;

/** One program of a resource as it runs: kernel ids, tag, where it is attached and where its link is pinned. */
public record RunningProgram(String name, int programId, String tag, int linkId, AttachTarget target, Path pin) {
}
