package dev.sigil.operator.nodes;

import dev.sigil.crds.SigilApi;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.operator.conditions.ProgramConditions;
import dev.sigil.operator.informers.TriggeringSource;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code sigil.dev/agent=true} on exactly the nodes some verified program targets, so the agent
 * DaemonSet runs there and nowhere else, and on nodes whose agent still has programs to unload.
 * Reacts to node label changes, to program changes that can move the decision (selector, generation,
 * verdict, deletion), and to its agent starting or ceasing to hold programs, as the program controller's
 * {@link NodeReports} of the node's BpfNodeState tell (the operator watches node states once).
 */
@ControllerConfiguration(name = AgentNodeLabelReconciler.NAME, generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = AgentNodeLabelReconciler.LabelsChanged.class,
                itemStore = MetadataOnlyNodeStore.class))
public class AgentNodeLabelReconciler implements Reconciler<Node> {
    public static final String NAME = "agent-node-label";
    private static final String PROGRAM_SOURCE = "programs";
    private static final String NODE_STATE_SOURCE = "node-states";
    /** How long the first reconcile waits for the node states to be listed: until then, absence means nothing. */
    private static final Duration NODE_STATES_LISTED = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(AgentNodeLabelReconciler.class);

    private final NodeReports reports;
    private final SelectorCache selectors = new SelectorCache();
    private final AtomicReference<Cache<SignedBpfProgram>> programCache = new AtomicReference<>();

    public AgentNodeLabelReconciler(NodeReports reports) {
        this.reports = reports;
    }

    /** Node heartbeats update status every few seconds; only label changes can move the decision. */
    public static final class LabelsChanged implements OnUpdateFilter<Node> {
        @Override
        public boolean accept(Node current, Node previous) {
            return Nodes.labelsChanged(current, previous);
        }
    }

    @Override
    public List<EventSource<?, Node>> prepareEventSources(EventSourceContext<Node> context) {
        var programs = new PlacementChanges(context);
        programCache.set(programs);
        return List.of(programs, new HoldingChanges());
    }

    @Override
    public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
        AgentPlacement.Decision decision = AgentPlacement.decide(node, programCache.get().list().toList(),
                reports.agentHoldsPrograms(node.getMetadata().getName()), selectors::targets);
        boolean labelled = Nodes.hasAgentLabel(node);
        String name = node.getMetadata().getName();
        if (decision == AgentPlacement.Decision.Label && !labelled) {
            LOG.info("node={} gets {}={}: a verified program targets it", name, SigilApi.AGENT_NODE_LABEL,
                    Nodes.AGENT_LABEL_VALUE);
            var labels = new HashMap<>(Nodes.labels(node));
            labels.put(SigilApi.AGENT_NODE_LABEL, Nodes.AGENT_LABEL_VALUE);
            node.getMetadata().setLabels(labels);
            return UpdateControl.patchResource(node);
        }
        if (decision == AgentPlacement.Decision.Unlabel && labelled) {
            LOG.info("node={} loses {}: no verified program targets it and its agent holds none",
                    name, SigilApi.AGENT_NODE_LABEL);
            var labels = new HashMap<>(Nodes.labels(node));
            labels.remove(SigilApi.AGENT_NODE_LABEL);
            node.getMetadata().setLabels(labels);
            return UpdateControl.patchResource(node);
        }
        return UpdateControl.noUpdate();
    }

    /**
     * A program change that can move the decision (see {@link #placementMayChange}) concerns the nodes it
     * targeted before and targets now, not every node.
     */
    private final class PlacementChanges extends TriggeringSource<SignedBpfProgram, Node> {
        private final IndexedResourceCache<Node> nodes;

        PlacementChanges(EventSourceContext<Node> context) {
            super(InformerEventSourceConfiguration.from(SignedBpfProgram.class, Node.class)
                    .withName(PROGRAM_SOURCE)
                    .withItemStore(new PlacementOnlyProgramStore())
                    .withSecondaryToPrimaryMapper(program -> Set.of())
                    // Every program may target any node; without this mapper JOSDK would index nodes x programs.
                    .withPrimaryToSecondaryMapper(node -> programCache.get().keys().collect(Collectors.toSet()))
                    .build(), context);
            this.nodes = context.getPrimaryCache();
        }

        @Override
        public void onAdd(SignedBpfProgram program) {
            super.onAdd(program);
            trigger(targetedBy(program));
        }

        @Override
        public void onUpdate(SignedBpfProgram previous, SignedBpfProgram program) {
            super.onUpdate(previous, program);
            if (placementMayChange(program, previous)) {
                Set<String> concerned = targetedBy(previous);
                concerned.addAll(targetedBy(program));
                trigger(concerned);
            }
        }

        @Override
        public void onDelete(SignedBpfProgram program, boolean finalStateUnknown) {
            super.onDelete(program, finalStateUnknown);
            trigger(targetedBy(program));
            selectors.forget(program.getMetadata().getName());
        }

        private Set<String> targetedBy(SignedBpfProgram program) {
            Optional<NodeSelector> selector = selectors.selector(program);
            return nodes.list()
                    .filter(node -> SelectorCache.matches(selector, node))
                    .map(node -> node.getMetadata().getName())
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    /** A node whose agent starts or stops holding programs; starts once every node state has been listed. */
    private final class HoldingChanges extends SimpleInboundEventSource<Node> {
        HoldingChanges() {
            super(NODE_STATE_SOURCE);
        }

        @Override
        public void start() {
            try {
                if (!reports.awaitComplete(NODE_STATES_LISTED)) {
                    throw new OperatorException("the BpfNodeStates were not listed within " + NODE_STATES_LISTED);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperatorException(e);
            }
            reports.onHoldingChange(node -> propagateEvent(new ResourceID(node)));
            super.start();
        }
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
