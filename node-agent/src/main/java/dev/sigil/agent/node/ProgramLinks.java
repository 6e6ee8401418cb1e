package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.Attacher;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.SyscallException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A program's links, one per target: made (or taken over from the generation before, where the kernel can swap the
 * program in a link), handed back when a deploy is rolled back, and closed. A target that fails to attach is the
 * program's failure only when no target of it attached; otherwise it is reported for that target and the others stay.
 */
final class ProgramLinks {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramLinks.class);
    /** Links per program; bounded so its pin record stays one symlink, and its report one status entry. */
    static final int MAX_LINKS_PER_PROGRAM = 128;

    private final HostKernel kernel;

    ProgramLinks(HostKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Attaches {@code program} to each of {@code targets} it is not attached to yet. {@code previous}: links of the
     * generation before, which a target they share is taken over from (recorded in {@code takenOver}, with their
     * owner), or empty. Returns the targets that failed.
     *
     * @throws BpfFailure the first target's failure, when the program had targets and none attached
     */
    List<AttachTarget> attachAll(String resource, HostedProgram program, Collection<AttachTarget> targets,
            Collection<HostedProgram> previous, Map<HostedLink, HostedProgram> takenOver) throws BpfFailure {
        List<AttachTarget> wanted = List.copyOf(new LinkedHashSet<>(targets));
        Map<AttachTarget, Path> pins;
        try {
            pins = kernel.pins.linkPins(resource, program.name, wanted);
        } catch (IllegalArgumentException e) {
            throw new BpfFailure(FailureReason.PinFailed, e.getMessage(), e);
        }
        BpfFailure first = null;
        for (AttachTarget target : wanted) {
            if (program.attachedTargets().contains(target)) {
                continue;
            }
            try {
                if (program.links.size() >= MAX_LINKS_PER_PROGRAM) {
                    throw new BpfFailure(FailureReason.AttachFailed, "program " + program.name + " already has "
                            + MAX_LINKS_PER_PROGRAM + " links, as many as one program may have");
                }
                program.links.add(attach(program, target, pins.get(target), previous, takenOver));
                program.unattached.remove(target);
            } catch (BpfFailure e) {
                first = first == null ? e : first;
                program.unattached.put(target, Attachment.failed(target, e));
                LOG.warn("{}: {} could not attach to {}: {}", resource, program.name, target.describe(), e.getMessage());
            }
        }
        if (program.links.isEmpty() && first != null) {
            throw first;
        }
        return List.copyOf(program.unattached.keySet());
    }

    private HostedLink attach(HostedProgram program, AttachTarget target, Path pin, Collection<HostedProgram> previous,
            Map<HostedLink, HostedProgram> takenOver) throws BpfFailure {
        try {
            Optional<HostedLink> sameTarget = Attacher.replacesInPlace(target) ? previous.stream()
                    .flatMap(old -> old.links.stream().filter(link -> link.target.equals(target)
                            && !takenOver.containsKey(link)).map(link -> Map.entry(link, old)))
                    .findFirst().map(entry -> {
                        takenOver.put(entry.getKey(), entry.getValue());
                        return entry.getKey();
                    }) : Optional.empty();
            if (sameTarget.isPresent()) {
                HostedLink old = sameTarget.get();
                try {
                    kernel.attacher.replaceProgram(program.name, old.link, program.program, target);
                } catch (BpfFailure | RuntimeException e) {
                    takenOver.remove(old);
                    throw e;
                }
                return new HostedLink(target, pin, old.link, old.linkId);
            }
            Fd link = kernel.attacher.attach(program.name, program.program, program.programType,
                    program.expectedAttachType, target);
            try {
                return new HostedLink(target, pin, link, kernel.bridge.linkInfo(link).id());
            } catch (RuntimeException e) {
                link.close();
                throw e;
            }
        } catch (SyscallException e) {
            throw new BpfFailure(FailureReason.AttachFailed, e.getMessage(), e);
        }
    }

    /** Hands each taken-over link back to the program it ran before; closes the links this attempt created. */
    void rollBack(List<HostedProgram> attached, Map<HostedLink, HostedProgram> takenOver) {
        for (HostedProgram program : attached) {
            for (HostedLink link : program.links) {
                Optional<HostedProgram> previousOwner = takenOver.entrySet().stream()
                        .filter(old -> old.getKey().link == link.link).map(Map.Entry::getValue).findFirst();
                if (previousOwner.isPresent()) {
                    try {
                        kernel.bridge.linkUpdate(link.link, previousOwner.get().program);
                    } catch (SyscallException e) {
                        LOG.error("could not give link {} back to the previous generation: {}", link.linkId, e.getMessage());
                    }
                } else {
                    link.link.close();
                }
            }
        }
    }

    /** The old generation is replaced: closes its links that were not taken over, and its programs. */
    void release(HostedResource old, Map<HostedLink, HostedProgram> takenOver) {
        for (HostedProgram program : old.programs) {
            for (HostedLink link : program.links) {
                if (!takenOver.containsKey(link)) {
                    link.link.close();
                }
            }
            program.program.close();
        }
        old.maps.values().forEach(Fd::close);
    }
}
