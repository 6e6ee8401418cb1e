package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.pin.PinnedProgram;
import dev.sigil.bpf.sys.Fd;
import java.nio.file.Path;

/**
 * One attached program the host holds: its program and link fds, ids, where its link is pinned, and its
 * expected attach type from the signed metadata (the kernel does not report it; how a uprobe links depends on it).
 */
final class HostedProgram implements AutoCloseable {
    final String name;
    final Fd program;
    final int programType;
    final int expectedAttachType;
    final int programId;
    final String tag;
    final AttachTarget target;
    final Path pin;
    Fd link;
    int linkId;

    HostedProgram(String name, Fd program, int programType, int expectedAttachType, int programId, String tag,
            AttachTarget target, Path pin, Fd link, int linkId) {
        this.name = name;
        this.program = program;
        this.programType = programType;
        this.expectedAttachType = expectedAttachType;
        this.programId = programId;
        this.tag = tag;
        this.target = target;
        this.pin = pin;
        this.link = link;
        this.linkId = linkId;
    }

    PinnedProgram record() {
        return new PinnedProgram(name, programId, tag, linkId, target, expectedAttachType);
    }

    RunningProgram running() {
        return new RunningProgram(name, programId, tag, linkId, target, pin);
    }

    @Override
    public void close() {
        link.close();
        program.close();
    }
}
