package dev.sigil.agent.node;

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
     * {@code held}: what the host holds of it, if anything; otherwise the program ids come from its pin
     * record. Returns what happened, in words for the report.
     */
    String unload(String name, Optional<HostedResource> held) {
        List<Integer> programIds = new ArrayList<>();
        held.ifPresent(resource -> resource.programs.forEach(program -> programIds.add(program.programId)));
        try {
            if (held.isEmpty()) {
                kernel.pins.readRecord(name).ifPresent(record -> record.programs().forEach(p -> programIds.add(p.programId())));
            }
            kernel.pins.remove(name);
        } catch (IOException | RuntimeException e) {
            LOG.warn("removing the pins of {} failed: {}", name, e.getMessage());
        }
        held.ifPresent(HostedResource::close);
        List<Integer> remaining = waitUntilGone(programIds);
        return remaining.isEmpty()
                ? "unloaded; programs " + programIds + " are gone from the kernel"
                : "unpinned and closed, but program ids " + remaining + " are still loaded (held by another process)";
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
