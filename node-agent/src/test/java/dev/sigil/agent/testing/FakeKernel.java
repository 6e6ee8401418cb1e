package dev.sigil.agent.testing;

import dev.sigil.agent.node.ResourceReport;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What outlives a {@link FakeProgramHost}: the resources pinned on the node (as the host that pinned
 * them reported them), with ids handed out as a kernel would. Several hosts opened one after another
 * (agent restarts, trust reloads) share it.
 */
public final class FakeKernel {
    private final Map<String, ResourceReport> pinned = new HashMap<>();
    private final Set<String> detached = new HashSet<>();
    private final Map<String, Long> mapValues = new HashMap<>();
    private final AtomicLong nextId = new AtomicLong(100);
    private int openHosts;

    public synchronized Map<String, ResourceReport> pinned() {
        return Map.copyOf(pinned);
    }

    public synchronized boolean isPinned(String resourceName) {
        return pinned.containsKey(resourceName);
    }

    public synchronized Optional<Long> pinnedGeneration(String resourceName) {
        ResourceReport report = pinned.get(resourceName);
        return report == null || report.generation().isEmpty()
                ? Optional.empty() : Optional.of(report.generation().getAsLong());
    }

    public synchronized int openHosts() {
        return openHosts;
    }

    /** Sets the u64 at key 0 of a resource's map, as the program would by running. */
    public synchronized void setMapValue(String resourceName, String mapName, long value) {
        mapValues.put(resourceName + "/" + mapName, value);
    }

    /** Someone ran {@code bpftool link detach} on the resource's links behind the agent's back. */
    public synchronized void detachLinks(String resourceName) {
        detached.add(resourceName);
    }

    public synchronized boolean isDetached(String resourceName) {
        return detached.contains(resourceName);
    }

    synchronized Optional<Long> mapValue(String resourceName, String mapName) {
        return Optional.ofNullable(mapValues.get(resourceName + "/" + mapName));
    }

    synchronized int newId() {
        return (int) nextId.getAndIncrement();
    }

    synchronized void pin(ResourceReport report) {
        pinned.put(report.name(), report);
        detached.remove(report.name());
    }

    synchronized ResourceReport unpin(String resourceName) {
        detached.remove(resourceName);
        return pinned.remove(resourceName);
    }

    synchronized void hostOpened() {
        openHosts++;
    }

    synchronized void hostClosed() {
        openHosts--;
    }
}
