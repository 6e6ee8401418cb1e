package dev.sigil.agent.node;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.sys.SyscallBridge;
import java.util.List;

/** The node's facts as the kernel tells them, in the agent's network namespace, read when a resource asks for them. */
final class HostNodeFacts implements DeployRequest.NodeFacts {
    private final SyscallBridge bridge;

    HostNodeFacts(SyscallBridge bridge) {
        this.bridge = bridge;
    }

    @Override
    public String primaryInterface() throws BpfFailure {
        return bridge.defaultRouteInterface().orElseThrow(() -> new BpfFailure(FailureReason.AttachFailed,
                "the node has no primary interface: no default route in the agent's network namespace"));
    }

    @Override
    public List<String> interfaces() {
        return bridge.networkInterfaces();
    }
}
