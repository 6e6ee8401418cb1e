package dev.sigil.agent.node;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.SyscallException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Puts back what was changed behind the agent's back: detached links, removed link pins, a removed pin directory. */
final class DriftRepairer {
    private final HostKernel kernel;
    private final ResourcePins resourcePins;

    DriftRepairer(HostKernel kernel, ResourcePins resourcePins) {
        this.kernel = kernel;
        this.resourcePins = resourcePins;
    }

    RepairOutcome repair(HostedResource resource) {
        List<String> repairs = new ArrayList<>();
        try {
            for (HostedProgram program : resource.programs) {
                if (kernel.bridge.linkInfo(program.link).detached()) {
                    reattach(program);
                    repairs.add("re-attached " + program.name + " (its link had been detached)");
                } else if (!Files.exists(program.pin)) {
                    kernel.pins.pin(program.link, program.pin);
                    repairs.add("re-pinned " + program.name + " at " + program.pin);
                }
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
    private void reattach(HostedProgram program) throws BpfFailure {
        Fd link = kernel.attacher.attach(program.name, program.program, program.programType, program.expectedAttachType,
                program.target);
        int linkId;
        try {
            kernel.pins.pin(link, program.pin);
            linkId = kernel.bridge.linkInfo(link).id();
        } catch (BpfFailure | RuntimeException e) {
            link.close();
            throw e;
        }
        program.link.close();
        program.link = link;
        program.linkId = linkId;
    }
}
