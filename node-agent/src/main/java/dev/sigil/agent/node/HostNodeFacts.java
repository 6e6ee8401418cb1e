package dev.sigil.agent.node;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import java.util.List;

/**
 * The node's facts as the kernel tells them, in the agent's network namespace, read when a resource asks for them.
 * The first interfaces read become the host's baseline for noticing that they changed ({@link HostKernel#interfacesSeen}).
 */
final class HostNodeFacts implements DeployRequest.NodeFacts {
    private final HostKernel kernel;

    HostNodeFacts(HostKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public String primaryInterface() throws BpfFailure {
        return kernel.bridge.defaultRouteInterface().orElseThrow(() -> new BpfFailure(FailureReason.AttachFailed,
                "the node has no primary interface: no default route in the agent's network namespace"));
    }

    @Override
    public List<String> interfaces() {
        List<String> now = kernel.bridge.networkInterfaces();
        if (kernel.interfacesSeen == null) {
            kernel.interfacesSeen = now;
        }
        return now;
    }
}
