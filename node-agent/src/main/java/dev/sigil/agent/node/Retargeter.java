package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.failure.BpfFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a running generation to the targets its programs resolve to now, without loading anything again: each new
 * target attached and pinned, each target no longer resolved detached and unpinned (reported as detached, with why),
 * and the record rewritten. The programs and the links that stay are not touched.
 */
final class Retargeter {
    private static final Logger LOG = LoggerFactory.getLogger(Retargeter.class);

    private final HostKernel kernel;
    private final ProgramLinks links;

    Retargeter(HostKernel kernel, ProgramLinks links) {
        this.kernel = kernel;
        this.links = links;
    }

    /** True when the targets it holds (attached or failed) are those it resolves to now. */
    static boolean onTargets(HostedResource resource, Map<String, List<AttachTarget>> targets) {
        return resource.programs.stream().allMatch(program -> {
            List<AttachTarget> wanted = targets.getOrDefault(program.name, List.of());
            return wanted.size() == program.links.size() && program.attachedTargets().containsAll(wanted);
        });
    }

    /** Returns each change in words, for the report. */
    List<String> retarget(HostedResource resource, Map<String, List<AttachTarget>> targets, List<String> interfaces)
            throws BpfFailure {
        List<String> changes = new ArrayList<>();
        kernel.pins.createDirectory(resource.name);
        try {
            for (HostedProgram program : resource.programs) {
                retarget(resource.name, program, targets.getOrDefault(program.name, List.of()), interfaces, changes);
            }
        } finally {
            // What is held is what the record says, also when a program could not attach to any of its targets.
            kernel.pins.writeRecord(resource.record(), false);
        }
        return changes;
    }

    private void retarget(String resource, HostedProgram program, List<AttachTarget> wanted, List<String> interfaces,
            List<String> changes) throws BpfFailure {
        for (HostedLink link : List.copyOf(program.links)) {
            if (!wanted.contains(link.target)) {
                detach(resource, program, link, reasonGone(link.target, interfaces));
                changes.add("detached " + program.name + " from " + link.target.describe());
            }
        }
        program.unattached.entrySet().removeIf(entry -> entry.getValue().state() == Attachment.State.Failed
                && !wanted.contains(entry.getKey()));
        int before = program.links.size();
        try {
            List<AttachTarget> failed = links.attachAll(resource, program, wanted, List.of(), Map.of());
            failed.stream().filter(wanted::contains).forEach(target ->
                    changes.add(program.name + " could not attach to " + target.describe()));
        } finally {
            for (HostedLink link : program.links.subList(before, program.links.size())) {
                kernel.pins.pin(link.link, link.pin);
                changes.add("attached " + program.name + " to " + link.target.describe());
            }
        }
    }

    /** Unpins and closes the link (the kernel detaches it with its last reference), reporting the target detached. */
    void detach(String resource, HostedProgram program, HostedLink link, String reason) {
        try {
            kernel.pins.unpin(link.pin);
        } catch (IOException e) {
            LOG.warn("{}: could not unpin {}: {}", resource, link.pin, e.getMessage());
        }
        link.link.close();
        program.links.remove(link);
        program.unattached.put(link.target, Attachment.detached(link.target, reason, reason.equals(Attachment.INTERFACE_GONE)
                ? "its interface is gone from the node" : "the program's targets no longer include it"));
        // Interfaces come and go for the life of a generation: only the latest departures are news.
        program.unattached.values().stream().filter(entry -> entry.state() == Attachment.State.Detached)
                .limit(Math.max(0, program.unattached.size() - ProgramLinks.MAX_LINKS_PER_PROGRAM)).toList()
                .forEach(oldest -> program.unattached.remove(oldest.target()));
    }

    /** Why a target is no longer resolved: its interface is gone, or it no longer matches. */
    static String reasonGone(AttachTarget target, List<String> interfaces) {
        Optional<String> networkInterface = SignedTargets.interfaceOf(target);
        return networkInterface.isPresent() && !interfaces.contains(networkInterface.get())
                ? Attachment.INTERFACE_GONE : Attachment.NOT_TARGETED;
    }
}
