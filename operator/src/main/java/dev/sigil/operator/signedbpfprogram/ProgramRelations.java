package dev.sigil.operator.signedbpfprogram;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.operator.nodes.ProgramTargeting;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How programs, nodes and node states relate, in both directions, for the program controller's
 * event sources: which programs a node or node-state change concerns, and which nodes and node
 * states a program's reconcile reads. Mappers look relations up in the informer caches, so they are
 * bound to those caches once the event sources exist.
 */
final class ProgramRelations {
    /** BpfNodeState index: one key per program name the node reports. */
    static final String PROGRAM_INDEX = "sigil.dev/program";

    private final IndexedResourceCache<SignedBpfProgram> programs;
    private volatile IndexerResourceCache<Node> nodes;
    private volatile IndexerResourceCache<BpfNodeState> nodeStates;

    ProgramRelations(IndexedResourceCache<SignedBpfProgram> programs) {
        this.programs = programs;
    }

    void bind(IndexerResourceCache<Node> nodeCache, IndexerResourceCache<BpfNodeState> nodeStateCache) {
        this.nodes = nodeCache;
        this.nodeStates = nodeStateCache;
    }

    static Map<String, Function<BpfNodeState, List<String>>> nodeStateIndexers() {
        return Map.of(PROGRAM_INDEX, state -> state.getStatus() == null ? List.of()
                : state.getStatus().getPrograms().stream().map(NodeProgramState::getName).filter(Objects::nonNull).toList());
    }

    /** Trust and node-label changes can change any program's verdict or targets. */
    Set<ResourceID> allPrograms() {
        return programs.list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    /** The programs a node's report names, and those that target the node (they count it as targeted). */
    Set<ResourceID> programsConcernedBy(BpfNodeState state) {
        Set<ResourceID> concerned = new HashSet<>();
        nodeStateIndexers().get(PROGRAM_INDEX).apply(state).forEach(name -> concerned.add(new ResourceID(name)));
        nodes.get(new ResourceID(state.getMetadata().getName())).ifPresent(node -> programs.list()
                .filter(program -> ProgramTargeting.targets(program, node))
                .forEach(program -> concerned.add(ResourceID.fromResource(program))));
        return concerned;
    }

    /** Linux nodes the program's selector matches (whether or not it is verified). */
    Set<ResourceID> nodesTargetedBy(SignedBpfProgram program) {
        return nodes.list()
                .filter(node -> ProgramTargeting.targets(program, node))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    /** Node states that report the program, plus those of the nodes it targets. */
    Set<ResourceID> nodeStatesFor(SignedBpfProgram program) {
        Set<ResourceID> ids = nodeStates.byIndex(PROGRAM_INDEX, program.getMetadata().getName()).stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toCollection(HashSet::new));
        ids.addAll(nodesTargetedBy(program));
        return ids;
    }
}
