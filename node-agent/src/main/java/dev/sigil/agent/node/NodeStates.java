package dev.sigil.agent.node;

import dev.sigil.agent.failure.NodeFailure;
import dev.sigil.crds.BoundedText;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Builds the status entries the host reports; the transition time moves only when the phase does. Messages are
 * cut to the schema's bound, which keeps a node's whole report within one API request.
 */
final class NodeStates {
    private final Clock clock;

    NodeStates(Clock clock) {
        this.clock = clock;
    }

    NodeProgramState attached(HostedResource resource, NodeProgramState previous, String message) {
        NodeProgramState state = base(resource.name, resource.generation, resource.loaderHash, ProgramPhase.Attached,
                previous);
        state.setEnforcement(resource.enforcement);
        state.setPrograms(programs(resource));
        state.setMessage(bounded(message));
        return state;
    }

    NodeProgramState failed(String name, Long generation, String loaderHash, String reason, String message,
            String verifierLogTail, HostedResource stillRunning, NodeProgramState previous) {
        NodeProgramState state = base(name, generation, loaderHash, ProgramPhase.Failed, previous);
        state.setReason(reason);
        state.setMessage(bounded(message));
        state.setVerifierLogTail(BoundedText.cut(verifierLogTail, NodeProgramState.MAX_VERIFIER_LOG_TAIL));
        if (stillRunning != null) {
            state.setEnforcement(stillRunning.enforcement);
            state.setPrograms(programs(stillRunning));
        }
        return state;
    }

    NodeProgramState failed(String name, Long generation, String loaderHash, NodeFailure failure,
            HostedResource stillRunning, NodeProgramState previous) {
        return failed(name, generation, loaderHash, failure.reason(), failure.getMessage(),
                failure.verifierLogTail().orElse(null), stillRunning, previous);
    }

    NodeProgramState unloading(NodeProgramState previous, String name, String message) {
        NodeProgramState state = base(name, previous == null ? null : previous.getGeneration(),
                previous == null ? null : previous.getLoaderHash(), ProgramPhase.Unloading, previous);
        state.setMessage(bounded(message));
        return state;
    }

    private static String bounded(String message) {
        return BoundedText.cut(message, NodeProgramState.MAX_MESSAGE);
    }

    private NodeProgramState base(String name, Long generation, String loaderHash, ProgramPhase phase,
            NodeProgramState previous) {
        NodeProgramState state = new NodeProgramState();
        state.setName(name);
        state.setGeneration(generation);
        state.setLoaderHash(loaderHash);
        state.setPhase(phase);
        state.setLastTransitionTime(previous != null && previous.getPhase() == phase
                ? previous.getLastTransitionTime() : Instant.now(clock).toString());
        return state;
    }

    private static List<LoadedProgram> programs(HostedResource resource) {
        return resource.programs.stream().map(program -> {
            LoadedProgram loaded = new LoadedProgram();
            loaded.setName(program.name);
            loaded.setProgramId((long) program.programId);
            loaded.setTag(program.tag);
            loaded.setLinkId((long) program.linkId);
            loaded.setAttachedTo(program.attach.describe());
            loaded.setPinPath(program.pin.toString());
            return loaded;
        }).toList();
    }
}
