package dev.sigil.agent.testing;

import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What outlives a {@link FakeProgramHost}: the resources pinned on the node, with ids handed out as
 * a kernel would. Several hosts opened one after another (agent restarts, trust reloads) share it.
 */
public final class FakeKernel {
    private final Map<String, NodeProgramState> pinned = new HashMap<>();
    private final Map<String, Long> mapValues = new HashMap<>();
    private final AtomicLong nextId = new AtomicLong(100);
    private int openHosts;

    public synchronized Map<String, NodeProgramState> pinned() {
        return Map.copyOf(pinned);
    }

    public synchronized boolean isPinned(String resourceName) {
        return pinned.containsKey(resourceName);
    }

    public synchronized Optional<Long> pinnedGeneration(String resourceName) {
        return Optional.ofNullable(pinned.get(resourceName)).map(NodeProgramState::getGeneration);
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
        pinned.get(resourceName).getPrograms().forEach(program -> program.setLinkId(null));
    }

    synchronized Optional<Long> mapValue(String resourceName, String mapName) {
        return Optional.ofNullable(mapValues.get(resourceName + "/" + mapName));
    }

    synchronized long newId() {
        return nextId.getAndIncrement();
    }

    synchronized void pin(NodeProgramState state) {
        pinned.put(state.getName(), state);
    }

    synchronized NodeProgramState unpin(String resourceName) {
        return pinned.remove(resourceName);
    }

    synchronized void hostOpened() {
        openHosts++;
    }

    synchronized void hostClosed() {
        openHosts--;
    }
}
