package dev.sigil.operator.nodes;

import dev.sigil.api.NodeSelector;
import dev.sigil.crds.SigilApi;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.operator.nodes.AgentPlacement.Support;
import dev.sigil.operator.informers.TriggeringSource;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code sigil.dev/agent=true} on exactly the nodes some verified program targets, so the agent
 * DaemonSet runs there and nowhere else, and on nodes whose agent still has programs to unload.
 * Reacts to node label changes, to program changes that can move the decision (selector, generation,
 * verdict, deletion) on nodes whose label they can move, and to its agent ceasing to hold programs, as the program controller's
 * {@link NodeReports} of the node's BpfNodeState tell (the operator watches node states once).
 */
@ControllerConfiguration(name = AgentNodeLabelReconciler.NAME, generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = AgentNodeLabelReconciler.LabelsChanged.class,
                itemStore = MetadataOnlyNodeStore.class))
public class AgentNodeLabelReconciler implements Reconciler<Node> {
    public static final String NAME = "agent-node-label";
    private static final String PROGRAM_SOURCE = "programs";
    private static final String NODE_STATE_SOURCE = "node-states";
    private static final String REQUIRED_LABEL_INDEX = "required-label";
    /** Nodes by whether they carry the agent label ("true" or "false"). */
    private static final String AGENT_LABEL_INDEX = "agent-label";
    /** The index key of programs that require no one label value ('=' cannot begin a label key). */
    private static final String NO_REQUIRED_LABEL = "=";
    /** How long the first reconcile waits for the node states to be listed: until then, absence means nothing. */
    private static final Duration NODE_STATES_LISTED = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(AgentNodeLabelReconciler.class);

    private final NodeReports reports;
    private final SelectorCache selectors = new SelectorCache();
    private final AtomicReference<PlacementChanges> programCache = new AtomicReference<>();

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
        AgentPlacement.Decision decision = AgentPlacement.decide(node, programCache.get().mayTarget(node),
                reports.agentHoldsPrograms(node.getMetadata().getName()), selectors::targets);
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

    /**
     * A program change concerns only the nodes, among those it targeted before or targets now, whose decision it
     * can move ({@link AgentPlacement#canMove}); its status updates that move only counts concern none.
     */
    private final class PlacementChanges extends TriggeringSource<SignedBpfProgram, Node> {
        private final IndexerResourceCache<Node> nodes;

        PlacementChanges(EventSourceContext<Node> context) {
            super(InformerEventSourceConfiguration.from(SignedBpfProgram.class, Node.class)
                    .withName(PROGRAM_SOURCE)
                    .withItemStore(new PlacementOnlyProgramStore())
                    .withSecondaryToPrimaryMapper(program -> Set.of())
                    // Every program may target any node; without this mapper JOSDK would index nodes x programs.
                    .withPrimaryToSecondaryMapper(node -> programCache.get().keys().collect(Collectors.toSet()))
                    .build(), context);
            this.nodes = context.getPrimaryCache();
            nodes.addIndexers(Map.of(AGENT_LABEL_INDEX, node -> List.of(Boolean.toString(Nodes.hasAgentLabel(node)))));
            addIndexers(Map.of(REQUIRED_LABEL_INDEX, program -> List.of(ProgramTargets.requiredLabel(program)
                    .map(label -> NodeLookup.indexKey(label.getKey(), label.getValue()))
                    .orElse(NO_REQUIRED_LABEL))));
        }

        /**
         * The programs whose selector can match the node: those that require none of its label values, and those
         * that require one it carries (by far fewer than all in a cluster of node pools).
         */
        List<SignedBpfProgram> mayTarget(Node node) {
            List<SignedBpfProgram> programs = new ArrayList<>(byIndex(REQUIRED_LABEL_INDEX, NO_REQUIRED_LABEL));
            Nodes.labels(node).forEach((key, value) ->
                    programs.addAll(byIndex(REQUIRED_LABEL_INDEX, NodeLookup.indexKey(key, value))));
            return programs;
        }

        @Override
        public void onAdd(SignedBpfProgram program) {
            super.onAdd(program);
            trigger(concerned(Optional.empty(), Support.None, selectors.selector(program), AgentPlacement.support(program)));
        }

        @Override
        public void onUpdate(SignedBpfProgram previous, SignedBpfProgram program) {
            super.onUpdate(previous, program);
            Optional<NodeSelector> before = selectors.selector(previous);
            Optional<NodeSelector> after = selectors.selector(program);
            Support supportBefore = AgentPlacement.support(previous);
            Support supportAfter = AgentPlacement.support(program);
            if (before != after || supportBefore != supportAfter) { // the cache keeps one instance per selector
                trigger(concerned(before, supportBefore, after, supportAfter));
            }
        }

        @Override
        public void onDelete(SignedBpfProgram program, boolean finalStateUnknown) {
            super.onDelete(program, finalStateUnknown);
            trigger(concerned(selectors.selector(program), AgentPlacement.support(program), Optional.empty(), Support.None));
            selectors.forget(program.getMetadata().getName());
        }

        /**
         * Which nodes' decision the change can move; no node is looked at when none of its kind (labelled or not)
         * can move, e.g. a new program awaiting its verdict, or a verdict on a cluster whose nodes are all labelled.
         */
        private Set<String> concerned(Optional<NodeSelector> before, Support supportBefore,
                Optional<NodeSelector> after, Support supportAfter) {
            boolean sameSelector = before == after; // the cache keeps one instance per selector
            boolean labelledMayMove = AgentPlacement.canMoveSome(true, supportBefore, supportAfter, sameSelector);
            boolean unlabelledMayMove = AgentPlacement.canMoveSome(false, supportBefore, supportAfter, sameSelector);
            if (!labelledMayMove && !unlabelledMayMove) {
                return Set.of();
            }
            return Stream.concat(labelledMayMove ? nodes.byIndex(AGENT_LABEL_INDEX, "true").stream() : Stream.empty(),
                            unlabelledMayMove ? nodes.byIndex(AGENT_LABEL_INDEX, "false").stream() : Stream.empty())
                    .filter(node -> AgentPlacement.canMove(Nodes.hasAgentLabel(node),
                            SelectorCache.matches(before, node) ? supportBefore : Support.None,
                            SelectorCache.matches(after, node) ? supportAfter : Support.None))
                    .map(node -> node.getMetadata().getName())
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    /** A node whose agent stops holding programs; starts once every node state has been listed. */
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
            // An agent that starts holding programs can only move a decision from Unlabel to Keep: no patch.
            reports.onHoldingChange(node -> {
                if (!reports.agentHoldsPrograms(node)) {
                    propagateEvent(new ResourceID(node));
                }
            });
            super.start();
        }
    }
}
