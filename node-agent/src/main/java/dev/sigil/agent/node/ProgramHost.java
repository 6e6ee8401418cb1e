package dev.sigil.agent.node;

import dev.sigil.bpf.kernel.KernelFeatures;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The node-local boundary: what runs signed BPF programs on this machine. Standalone mode, cluster mode
 * and the operator's end-to-end test all drive a node through this interface, in the agent's own terms:
 * {@link DeployRequest}s in, {@link ResourceReport}s out (the API's status is built from those).
 */
public interface ProgramHost extends AutoCloseable {

    /** What this kernel can do; each capability is probed when first asked for. */
    KernelFeatures capabilities();

    /**
     * Verifies the request's bundle against the host's own trust bundle, then loads and attaches it; keeps
     * it when the same generation and loader hash already run intact; replaces it when the generation
     * differs (the new programs are attached before the old ones go). A resource that no longer verifies
     * is unloaded. Never throws for a bad program: the report has phase Failed with its cause and message.
     */
    ResourceReport apply(DeployRequest request);

    /**
     * Reports the resource Failed for a cause found outside {@link #apply} (the agent could not build its request,
     * or applying it threw): what runs of it keeps running, and the next apply replaces the report.
     */
    ResourceReport reportFailure(String resourceName, OptionalLong generation, FailureCause cause, String message);

    /** Unpins and closes everything of the resource, and confirms by id lookup that its programs are gone. */
    ResourceReport unload(String resourceName);

    /** At start: finds the pins a previous agent left and takes them over without detaching anything. */
    List<ResourceReport> adoptPinned();

    /** Notices links detached and pins removed behind the agent's back, repairs them, returns the changed reports. */
    List<ResourceReport> repairDrift();

    /**
     * Whether the node's facts that resources resolve their targets from (its network interfaces) changed since the
     * host last looked: one procfs read, for the agents to apply again, on their drift-repair interval, the resources
     * that leave targets to the node. The first look is the first resolution of a pattern or this call, whichever comes
     * first (false then).
     */
    boolean nodeFactsChanged();

    /** The latest report of each resource this host handles; a failed apply is reported even while an older generation runs. */
    List<ResourceReport> states();

    /** The u64 at {@code key} in one of the resource's maps, e.g. the example's counter. */
    Optional<Long> readMapValue(String resourceName, String mapName, int key);

    /** Releases the agent's file descriptors; pinned programs stay attached (that is the point of pins). */
    @Override
    void close();
}
