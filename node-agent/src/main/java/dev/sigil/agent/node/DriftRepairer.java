package dev.sigil.agent.node;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.SyscallException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts back what was changed behind the agent's back: detached links, removed link pins, a removed pin directory. A
 * link the kernel detached because its interface is gone is not put back but let go of, and reported detached: the
 * interface's return is news for resolving the program's targets again, not a repair.
 */
final class DriftRepairer {
    private final HostKernel kernel;
    private final ResourcePins resourcePins;
    private final Retargeter retargeter;

    DriftRepairer(HostKernel kernel, ResourcePins resourcePins, Retargeter retargeter) {
        this.kernel = kernel;
        this.resourcePins = resourcePins;
        this.retargeter = retargeter;
    }

    RepairOutcome repair(HostedResource resource) {
        List<String> repairs = new ArrayList<>();
        List<String> interfaces = null;
        boolean letGo = false;
        try {
            for (HostedProgram program : resource.programs) {
                for (HostedLink link : List.copyOf(program.links)) {
                    if (!kernel.bridge.linkInfo(link.link).detached()) {
                        if (!Files.exists(link.pin)) {
                            kernel.pins.pin(link.link, link.pin);
                            repairs.add("re-pinned " + program.name + " at " + link.pin);
                        }
                        continue;
                    }
                    interfaces = interfaces == null ? kernel.bridge.networkInterfaces() : interfaces;
                    String gone = Retargeter.reasonGone(link.target, interfaces);
                    if (gone.equals(Attachment.INTERFACE_GONE)) {
                        retargeter.detach(resource.name, program, link, gone);
                        letGo = true;
                        repairs.add("let go of " + program.name + " on " + link.target.describe() + ": its interface is gone");
                    } else {
                        reattach(program, link);
                        repairs.add("re-attached " + program.name + " to " + link.target.describe()
                                + " (its link had been detached)");
                    }
                }
            }
            if (letGo) {
                kernel.pins.writeRecord(resource.record(), false);
            }
            if (!kernel.pins.complete(resource.record())) {
                resourcePins.pinAll(resource, new ArrayList<>());
                repairs.add("restored the pin directory " + kernel.pins.directory(resource.name));
            }
        } catch (BpfFailure e) {
            return new RepairOutcome.RepairFailed(Failure.of(e));
        } catch (SyscallException e) {
            return new RepairOutcome.RepairFailed(Failure.of(
                    new BpfFailure(FailureReason.AttachFailed, "drift repair failed: " + e.getMessage(), e)));
        }
        return repairs.isEmpty() ? new RepairOutcome.Intact() : new RepairOutcome.Repaired(repairs);
    }

    /** A fresh link replaces the detached one; pinned over it before the old one is closed. */
    private void reattach(HostedProgram program, HostedLink held) throws BpfFailure {
        Fd link = kernel.attacher.attach(program.name, program.program, program.programType, program.expectedAttachType,
                held.target);
        int linkId;
        try {
            kernel.pins.pin(link, held.pin);
            linkId = kernel.bridge.linkInfo(link).id();
        } catch (BpfFailure | RuntimeException e) {
            link.close();
            throw e;
        }
        held.link.close();
        held.link = link;
        held.linkId = linkId;
    }
}
