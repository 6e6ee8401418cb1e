package dev.sigil.operator.nodes;

import dev.sigil.crds.SigilApi;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.operator.signedbpfprogram.ProgramConditions;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code sigil.dev/agent=true} on exactly the nodes some verified program targets, so the agent
 * DaemonSet runs there and nowhere else, and on nodes whose agent still has programs to unload.
 * Reacts to node label changes, to program changes that can move the decision (selector, generation,
 * verdict, deletion), and to the node's own BpfNodeState (named after it).
 */
@ControllerConfiguration(name = AgentNodeLabelReconciler.NAME, generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = AgentNodeLabelReconciler.LabelsChanged.class,
                itemStore = MetadataOnlyNodeStore.class))
public class AgentNodeLabelReconciler implements Reconciler<Node> {
    public static final String NAME = "agent-node-label";
    private static final String PROGRAM_SOURCE = "programs";
    private static final String NODE_STATE_SOURCE = "node-states";
    private static final Logger LOG = LoggerFactory.getLogger(AgentNodeLabelReconciler.class);

    /** Node heartbeats update status every few seconds; only label changes can move the decision. */
    public static final class LabelsChanged implements OnUpdateFilter<Node> {
        @Override
        public boolean accept(Node current, Node previous) {
            return Nodes.labelsChanged(current, previous);
        }
    }

    @Override
    public List<EventSource<?, Node>> prepareEventSources(EventSourceContext<Node> context) {
        AtomicReference<Cache<SignedBpfProgram>> programCache = new AtomicReference<>();
        var programs = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(SignedBpfProgram.class, Node.class)
                        .withName(PROGRAM_SOURCE)
                        .withOnUpdateFilter(AgentNodeLabelReconciler::placementMayChange)
                        .withSecondaryToPrimaryMapper(program -> context.getPrimaryCache().list()
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        // Every program may target any node; without this mapper JOSDK would index nodes x programs.
                        .withPrimaryToSecondaryMapper(node -> programCache.get().keys().collect(Collectors.toSet()))
                        .build(),
                context);
        programCache.set(programs);
        var nodeStates = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(BpfNodeState.class, Node.class)
                        .withName(NODE_STATE_SOURCE)
                        // Agents rewrite their state at least once a minute; only "holds programs or not" moves the decision.
                        .withOnUpdateFilter((current, previous) -> AgentPlacement.agentHoldsPrograms(current)
                                != AgentPlacement.agentHoldsPrograms(previous))
                        .withSecondaryToPrimaryMapper(state -> Set.of(new ResourceID(state.getMetadata().getName())))
                        .build(),
                context);
        return List.of(programs, nodeStates);
    }

    @Override
    public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
        AgentPlacement.Decision decision = AgentPlacement.decide(node,
                context.getSecondaryResources(SignedBpfProgram.class), context.getSecondaryResource(BpfNodeState.class));
        boolean labelled = Nodes.hasAgentLabel(node);
        String name = node.getMetadata().getName();
        if (decision == AgentPlacement.Decision.Label && !labelled) {
            LOG.info("node={} gets {}={}: a verified program targets it", name, SigilApi.AGENT_NODE_LABEL,
                    Nodes.AGENT_LABEL_VALUE);
            AgentLabelPatch.add(context.getClient(), name);
        }
        if (decision == AgentPlacement.Decision.Unlabel && labelled) {
            LOG.info("node={} loses {}: no verified program targets it and its agent holds none",
                    name, SigilApi.AGENT_NODE_LABEL);
            AgentLabelPatch.remove(context.getClient(), name);
        }
        return UpdateControl.noUpdate();
    }

    /** Status updates that only move counts cannot move the decision; verdicts, selectors and deletion can. */
    static boolean placementMayChange(SignedBpfProgram current, SignedBpfProgram previous) {
        return !Objects.equals(current.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
                || !Objects.equals(current.getMetadata().getDeletionTimestamp(), previous.getMetadata().getDeletionTimestamp())
                || ProgramConditions.verifiedForCurrentGeneration(current)
                        != ProgramConditions.verifiedForCurrentGeneration(previous)
                || ProgramConditions.awaitingVerdict(current) != ProgramConditions.awaitingVerdict(previous);
    }
}
