package dev.sigil.agent.node;

import dev.sigil.agent.translate.StatusTranslation;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Builds the status entries the host reports; the transition time moves only when the phase does. */
final class NodeStates {
    private final Clock clock;

    NodeStates(Clock clock) {
        this.clock = clock;
    }

    NodeProgramState attached(HostedResource resource, NodeProgramState previous, String message) {
        NodeProgramState state = base(resource.name, resource.generation, resource.loaderHash, ProgramPhase.Attached,
                previous);
        state.setEnforcement(StatusTranslation.enforcement(resource.enforcement));
        state.setPrograms(programs(resource));
        state.setMessage(message);
        return state;
    }

    NodeProgramState failed(String name, Long generation, String loaderHash, String reason, String message,
            String verifierLogTail, HostedResource stillRunning, NodeProgramState previous) {
        NodeProgramState state = base(name, generation, loaderHash, ProgramPhase.Failed, previous);
        state.setReason(reason);
        state.setMessage(message);
        state.setVerifierLogTail(verifierLogTail);
        if (stillRunning != null) {
            state.setEnforcement(StatusTranslation.enforcement(stillRunning.enforcement));
            state.setPrograms(programs(stillRunning));
        }
        return state;
    }

    NodeProgramState failed(String name, Long generation, String loaderHash, BpfFailure failure,
            HostedResource stillRunning, NodeProgramState previous) {
        return failed(name, generation, loaderHash, StatusTranslation.reason(failure.reason()), failure.getMessage(),
                failure.verifierLogTail().orElse(null), stillRunning, previous);
    }

    NodeProgramState unloading(NodeProgramState previous, String name, String message) {
        NodeProgramState state = base(name, previous == null ? null : previous.getGeneration(),
                previous == null ? null : previous.getLoaderHash(), ProgramPhase.Unloading, previous);
        state.setMessage(message);
        return state;
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
            loaded.setAttachedTo(program.target.describe());
            loaded.setPinPath(program.pin.toString());
            return loaded;
        }).toList();
    }
}
