package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.pin.PinnedProgram;
import dev.sigil.bpf.sys.Fd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One loaded program the host holds: its fd, ids, its expected attach type from the signed metadata (the kernel does
 * not report it; how a uprobe links depends on it), its links, one per target it is attached to, and the targets it is
 * not attached to that its report names (failed, or detached since).
 */
final class HostedProgram implements AutoCloseable {
    final String name;
    final Fd program;
    final int programType;
    final int expectedAttachType;
    final int programId;
    final String tag;
    final List<HostedLink> links = new ArrayList<>();
    final Map<AttachTarget, Attachment> unattached = new LinkedHashMap<>();

    HostedProgram(String name, Fd program, int programType, int expectedAttachType, int programId, String tag) {
        this.name = name;
        this.program = program;
        this.programType = programType;
        this.expectedAttachType = expectedAttachType;
        this.programId = programId;
        this.tag = tag;
    }

    PinnedProgram record() {
        return new PinnedProgram(name, programId, tag, expectedAttachType, links.stream().map(HostedLink::record).toList());
    }

    RunningProgram running() {
        return new RunningProgram(name, programId, tag, Stream.concat(links.stream().map(HostedLink::attachment),
                unattached.values().stream()).toList());
    }

    List<AttachTarget> attachedTargets() {
        return links.stream().map(link -> link.target).toList();
    }

    @Override
    public void close() {
        links.forEach(link -> link.link.close());
        program.close();
    }
}
