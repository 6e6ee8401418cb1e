package dev.sigil.agent.testing;

import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.agent.translate.StatusTranslation;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ProgramHost} seen as the node's status shows it: resources go in as the API has them and each
 * report comes out as the BpfNodeState entry the agent publishes, through the agent's one translation.
 */
public final class HostStatus implements AutoCloseable {
    private final ProgramHost host;

    public HostStatus(ProgramHost host) {
        this.host = host;
    }

    public ProgramHost host() {
        return host;
    }

    public NodeProgramState apply(SignedBpfProgram resource) {
        return StatusTranslation.state(host.apply(SpecTranslation.deployRequest(resource)));
    }

    public NodeProgramState unload(String resourceName) {
        return StatusTranslation.state(host.unload(resourceName));
    }

    public List<NodeProgramState> adoptPinned() {
        return host.adoptPinned().stream().map(StatusTranslation::state).toList();
    }

    public List<NodeProgramState> repairDrift() {
        return host.repairDrift().stream().map(StatusTranslation::state).toList();
    }

    public List<NodeProgramState> states() {
        return host.states().stream().map(StatusTranslation::state).toList();
    }

    public Optional<Long> readMapValue(String resourceName, String mapName, int key) {
        return host.readMapValue(resourceName, mapName, key);
    }

    @Override
    public void close() {
        host.close();
    }
}
