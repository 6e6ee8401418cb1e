package dev.sigil.agent.node;

import dev.sigil.bpf.pin.PinRemoval;
import dev.sigil.bpf.pin.PinnedProgram;
import dev.sigil.bpf.pin.PinnedResource;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.ObjectKind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Unloads one resource: removes its pins, closes what the host holds, and confirms by id that its programs are gone. */
final class Unloader {
    private static final Logger LOG = LoggerFactory.getLogger(Unloader.class);
    /** How long unload waits for the kernel to drop the last reference to a program (RCU, deferred work). */
    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration GONE_POLL = Duration.ofMillis(10);

    private final HostKernel kernel;

    Unloader(HostKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * {@code held}: what the host holds of it, if anything; otherwise what to remove comes from its pin record.
     * Removes only what that record lists (see {@link dev.sigil.bpf.pin.PinDirectory#remove}). Returns what happened,
     * in words for the report, naming anything left in the resource's directory.
     */
    String unload(String name, Optional<HostedResource> held) {
        Optional<PinnedResource> record;
        String pins;
        try {
            record = held.isPresent() ? held.map(HostedResource::record) : kernel.pins.readRecord(name);
            pins = record.isPresent() ? removed(name, kernel.pins.remove(record.get())) : unrecorded(name);
        } catch (IOException | RuntimeException e) {
            LOG.warn("removing the pins of {} failed: {}", name, e.getMessage());
            record = held.map(HostedResource::record);
            pins = "; its pins were not removed: " + e.getMessage();
        }
        held.ifPresent(HostedResource::close);
        List<Integer> programIds = record.map(found -> found.programs().stream().map(PinnedProgram::programId).toList())
                .orElse(List.of());
        if (programIds.isEmpty()) {
            return "no pin record of " + name + ": nothing of Sigil's to unload" + pins;
        }
        List<Integer> remaining = waitUntilGone(programIds);
        return (remaining.isEmpty()
                ? "unloaded; programs " + programIds + " are gone from the kernel"
                : "unpinned and closed, but program ids " + remaining + " are still loaded (held by another process)")
                + pins;
    }

    /** Words for what removing the record's pins left: nothing, or what stays in the directory and why. */
    private String removed(String name, PinRemoval removal) {
        String words = "";
        if (!removal.left().isEmpty()) {
            words += "; left " + kernel.pins.directory(name) + " in place: it also holds " + String.join(", ", removal.left())
                    + ", which Sigil's record does not list";
        }
        if (!removal.failures().isEmpty()) {
            words += "; could not remove " + String.join(", ", removal.failures());
        }
        return words;
    }

    /** A directory without Sigil's record holds nothing Sigil may remove. */
    private String unrecorded(String name) throws IOException {
        List<String> entries = kernel.pins.entries(name);
        return entries.isEmpty() ? "" : "; no pin record in " + kernel.pins.directory(name) + ", so nothing in it is"
                + " Sigil's to remove (left in place: " + String.join(", ", entries) + ")";
    }

    private List<Integer> waitUntilGone(List<Integer> programIds) {
        long deadline = System.nanoTime() + GONE_TIMEOUT.toNanos();
        List<Integer> remaining = new ArrayList<>(programIds);
        while (true) {
            remaining.removeIf(id -> {
                Optional<Fd> fd = kernel.bridge.fdById(ObjectKind.PROGRAM, id);
                fd.ifPresent(Fd::close);
                return fd.isEmpty();
            });
            if (remaining.isEmpty() || System.nanoTime() > deadline) {
                return remaining;
            }
            try {
                Thread.sleep(GONE_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return remaining;
            }
        }
    }
}
