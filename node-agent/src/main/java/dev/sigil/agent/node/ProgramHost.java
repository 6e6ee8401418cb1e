package dev.sigil.agent.node;

import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.util.List;
import java.util.Optional;

/**
 * The node-local boundary: what runs signed BPF programs on this machine. Standalone mode, cluster mode
 * and the operator's end-to-end test all drive a node through this interface.
 */
public interface ProgramHost extends AutoCloseable {

    /** What the start-up kernel probe found. */
    KernelCapabilities capabilities();

    /**
     * Verifies the resource against the host's own trust bundle, then loads and attaches it; keeps it
     * when the same generation and loader hash are already attached; replaces it when the generation
     * differs (the new programs are attached before the old ones go). Never throws for a bad program:
     * the returned state has phase Failed with a reason code and message.
     */
    NodeProgramState apply(SignedBpfProgram resource);

    /** Unpins and closes everything of the resource, and confirms by id lookup that its programs are gone. */
    NodeProgramState unload(String resourceName);

    /** At start: finds the pins a previous agent left and takes them over without detaching anything. */
    List<NodeProgramState> adoptPinned();

    /** Notices links detached and pins removed behind the agent's back, repairs them, returns the changed states. */
    List<NodeProgramState> repairDrift();

    /** One state per resource this host handles. */
    List<NodeProgramState> states();

    /** The u64 at {@code key} in one of the resource's maps, e.g. the example's counter. */
    Optional<Long> readMapValue(String resourceName, String mapName, int key);

    /** Releases the agent's file descriptors; pinned programs stay attached (that is the point of pins). */
    @Override
    void close();
}
