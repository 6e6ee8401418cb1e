package dev.sigil.agent.node;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.pin.PinDirectory;
import dev.sigil.bpf.pin.PinRemoval;
import dev.sigil.bpf.sys.Fd;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A resource's pins as a whole: its links, the maps it asks to pin, and its record. */
final class ResourcePins {
    private static final Logger LOG = LoggerFactory.getLogger(ResourcePins.class);

    private final PinDirectory pins;

    ResourcePins(PinDirectory pins) {
        this.pins = pins;
    }

    /** Pins everything of the resource, replacing what is there; {@code pinned} collects each pin made. */
    void pinAll(HostedResource resource, List<Path> pinned) throws BpfFailure {
        boolean newDirectory = pins.createDirectory(resource.name);
        for (HostedProgram program : resource.programs) {
            for (HostedLink link : program.links) {
                pins.pin(link.link, link.pin, newDirectory);
                pinned.add(link.pin);
            }
        }
        for (String map : resource.pinnedMaps) {
            Fd fd = resource.maps.get(map);
            if (fd == null) {
                throw new BpfFailure(FailureReason.PinFailed, "map " + map + " is to be pinned but the loader created no such map");
            }
            Path pin = pins.mapPin(resource.name, map);
            pins.pin(fd, pin, newDirectory);
            pinned.add(pin);
        }
        pins.writeRecord(resource.record(), newDirectory);
    }

    /**
     * A load that failed while pinning may have replaced some of the resource's pins ({@code pinnedByFailure}).
     * With a generation still running, its links, maps and record are pinned again over them and pins only
     * the failed generation had are removed; with none, what the failed generation would have pinned goes (and
     * its directory, unless something else is in it). Either way no pin of the failed load keeps its programs
     * attached.
     */
    void restore(HostedResource failed, HostedResource running, List<Path> pinnedByFailure) {
        String name = failed.name;
        try {
            if (running == null) {
                PinRemoval removal = pins.remove(failed.record());
                if (!removal.failures().isEmpty()) {
                    LOG.error("{}: pins of the failed load could not be removed: {}", name, removal.failures());
                }
                return;
            }
            List<Path> restored = new ArrayList<>();
            pinAll(running, restored);
            for (Path pin : pinnedByFailure) {
                if (!restored.contains(pin)) {
                    pins.unpin(pin);
                }
            }
        } catch (BpfFailure | IOException e) {
            LOG.error("{}: could not restore the pins after a failed load: {}", name, e.getMessage());
        }
    }

    /** The new generation is pinned: unpin the links and maps of the old one that it no longer has. */
    void unpinDropped(HostedResource old, HostedResource next) {
        List<Path> kept = next.programs.stream().flatMap(program -> program.links.stream()).map(link -> link.pin).toList();
        for (HostedProgram program : old.programs) {
            for (HostedLink link : program.links) {
                if (!kept.contains(link.pin)) {
                    unpinQuietly(link.pin);
                }
            }
        }
        for (String map : old.pinnedMaps) {
            if (!next.pinnedMaps.contains(map)) {
                unpinQuietly(pins.mapPin(old.name, map));
            }
        }
    }

    private void unpinQuietly(Path pin) {
        try {
            pins.unpin(pin);
        } catch (IOException e) {
            LOG.warn("could not unpin {}: {}", pin, e.getMessage());
        }
    }
}
