package dev.sigil.agent.node;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.pin.PinnedLink;
import dev.sigil.bpf.pin.PinnedProgram;
import dev.sigil.bpf.pin.PinnedResource;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinkInfo;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.sys.ProgInfo;
import dev.sigil.bpf.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes over what an earlier agent pinned: opens a resource's pins and checks they still hold the
 * programs its record names (ids and tags). Detaches nothing; on any mismatch holds nothing.
 */
final class Adopter {
    private final HostKernel kernel;

    Adopter(HostKernel kernel) {
        this.kernel = kernel;
    }

    /** The resources pinned under the pin root, by name. */
    List<String> pinned() throws IOException {
        return kernel.pins.resources();
    }

    AdoptOutcome adopt(String name) {
        try {
            return new AdoptOutcome.Adopted(open(name));
        } catch (BpfFailure e) {
            return new AdoptOutcome.NotAdopted(Failure.of(e));
        }
    }

    private HostedResource open(String name) throws BpfFailure {
        PinnedResource record;
        try {
            record = kernel.pins.readRecord(name).orElseThrow(() -> new IOException("no pin record"));
        } catch (IOException | RuntimeException e) {
            throw new BpfFailure(FailureReason.PinFailed, "pins of " + name + " cannot be adopted: " + e.getMessage(), e);
        }
        List<Fd> held = new ArrayList<>();
        boolean adopted = false;
        try {
            List<HostedProgram> programs = new ArrayList<>();
            Set<Integer> usedMaps = new HashSet<>();
            for (PinnedProgram pinned : record.programs()) {
                Fd program = hold(held, kernel.bridge.fdById(ObjectKind.PROGRAM, pinned.programId()).orElseThrow(() ->
                        new BpfFailure(FailureReason.PinFailed, "program id " + pinned.programId() + " is gone")));
                ProgInfo info = kernel.bridge.progInfo(program);
                if (!info.tag().equals(pinned.tag())) {
                    throw new BpfFailure(FailureReason.PinFailed, "program " + pinned.name() + " (id " + info.id()
                            + ") has tag " + info.tag() + ", but the record says " + pinned.tag());
                }
                HostedProgram hosted = new HostedProgram(pinned.name(), program, info.type(), pinned.expectedAttachType(),
                        info.id(), info.tag());
                for (PinnedLink link : pinned.links()) {
                    hosted.links.add(openLink(name, pinned, link, held));
                }
                programs.add(hosted);
                usedMaps.addAll(info.mapIds());
            }
            Map<String, Fd> maps = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> map : record.mapIds().entrySet()) {
                Optional<Fd> fd = usedMaps.contains(map.getValue())
                        ? kernel.bridge.fdById(ObjectKind.MAP, map.getValue()) : Optional.empty();
                maps.put(map.getKey(), hold(held, fd.orElseThrow(() -> new BpfFailure(FailureReason.PinFailed,
                        "map " + map.getKey() + " (id " + map.getValue() + ") is not used by the pinned programs any more"))));
            }
            HostedResource resource = new HostedResource(name, record.generation(), record.loaderHash(),
                    record.enforcement(), programs, maps, record.mapIds(), record.pinnedMaps());
            adopted = true;
            return resource;
        } catch (SyscallException e) {
            throw new BpfFailure(FailureReason.PinFailed, "pins of " + name + " cannot be adopted: " + e.getMessage(), e);
        } finally {
            if (!adopted) {
                held.forEach(Fd::close);
            }
        }
    }

    /** The link pinned for one of the program's targets, checked to still run the recorded program. */
    private HostedLink openLink(String name, PinnedProgram pinned, PinnedLink recorded, List<Fd> held) throws BpfFailure {
        Path pin = kernel.pins.linkPin(name, pinned.name(), recorded.target());
        Fd link = hold(held, kernel.pins.open(pin));
        LinkInfo linkInfo = kernel.bridge.linkInfo(link);
        if (linkInfo.progId() != pinned.programId()) {
            throw new BpfFailure(FailureReason.PinFailed, "link pin " + pin + " runs program id "
                    + linkInfo.progId() + ", but the record says " + pinned.programId());
        }
        return new HostedLink(recorded.target(), pin, link, linkInfo.id());
    }

    private static Fd hold(List<Fd> held, Fd fd) {
        held.add(fd);
        return fd;
    }
}
