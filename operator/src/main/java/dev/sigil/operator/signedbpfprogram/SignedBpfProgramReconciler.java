package dev.sigil.operator.signedbpfprogram;

import dev.sigil.api.NodeSelector;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.operator.agent.AgentDaemonSetDependent;
import dev.sigil.operator.events.EventReason;
import dev.sigil.operator.events.EventRecorder;
import dev.sigil.operator.metrics.SigilMetrics;
import dev.sigil.operator.nodes.MetadataOnlyNodeStore;
import dev.sigil.operator.nodes.Nodes;
import dev.sigil.operator.trust.TrustConfigMap;
import dev.sigil.operator.trust.TrustState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one SignedBpfProgram: verifies it against the trust ConfigMap, works out the nodes it
 * targets, folds the nodes' reports into its status, and keeps the shared agent DaemonSet in place
 * (the workflow). Deletion waits, through a finalizer, until no node reports the program loaded.
 */
@Workflow(dependents = @Dependent(type = AgentDaemonSetDependent.class, name = AgentDaemonSetDependent.NAME))
@ControllerConfiguration(name = SignedBpfProgramReconciler.NAME, finalizerName = SignedBpfProgramReconciler.FINALIZER)
public class SignedBpfProgramReconciler implements Reconciler<SignedBpfProgram>, Cleaner<SignedBpfProgram> {
    public static final String NAME = "signedbpfprogram";
    /** Held until the nodes report the program unloaded (or the deletion timeout passes). */
    public static final String FINALIZER = "sigil.dev/node-unload";
    static final String TRUST_SOURCE = "trust-configmap";
    static final String NODE_SOURCE = "nodes";
    static final String NODE_STATE_SOURCE = "node-states";

    private static final Logger LOG = LoggerFactory.getLogger(SignedBpfProgramReconciler.class);

    private final TrustConfigMap trust;
    private final ProgramVerifier verifier;
    private final ProgramStatusBuilder statusBuilder;
    private final EventRecorder events;
    private final SigilMetrics metrics;
    private final Duration deletionTimeout;
    private final Clock clock;

    public SignedBpfProgramReconciler(TrustConfigMap trust, EventRecorder events, SigilMetrics metrics,
            Duration deletionTimeout, Clock clock) {
        this.trust = trust;
        this.verifier = new ProgramVerifier(clock);
        this.statusBuilder = new ProgramStatusBuilder(clock);
        this.events = events;
        this.metrics = metrics;
        this.deletionTimeout = deletionTimeout;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, SignedBpfProgram>> prepareEventSources(EventSourceContext<SignedBpfProgram> context) {
        ProgramRelations relations = new ProgramRelations(context.getPrimaryCache());
        ResourceID trustId = new ResourceID(trust.ref().name(), trust.ref().namespace());
        var trustSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ConfigMap.class, SignedBpfProgram.class)
                        .withName(TRUST_SOURCE)
                        .withNamespaces(trust.ref().namespace())
                        .withFieldSelector(new FieldSelector(new FieldSelector.Field("metadata.name", trust.ref().name())))
                        .withSecondaryToPrimaryMapper(configMap -> relations.allPrograms())
                        .withPrimaryToSecondaryMapper(program -> Set.of(trustId))
                        .build(),
                context);
        var nodeSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Node.class, SignedBpfProgram.class)
                        .withName(NODE_SOURCE)
                        .withItemStore(new MetadataOnlyNodeStore())
                        .withOnUpdateFilter(Nodes::labelsChanged)
                        .withSecondaryToPrimaryMapper(node -> relations.allPrograms())
                        .withPrimaryToSecondaryMapper(relations::nodesTargetedBy)
                        .build(),
                context);
        var nodeStateSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(BpfNodeState.class, SignedBpfProgram.class)
                        .withName(NODE_STATE_SOURCE)
                        .withSecondaryToPrimaryMapper(relations::programsConcernedBy)
                        .withPrimaryToSecondaryMapper(relations::nodeStatesFor)
                        .build(),
                context);
        nodeStateSource.addIndexers(ProgramRelations.nodeStateIndexers());
        relations.bind(nodeSource, nodeStateSource);
        metrics.readNodeStatesFrom(nodeStateSource::list);
        return List.of(trustSource, nodeSource, nodeStateSource);
    }

    @Override
    public UpdateControl<SignedBpfProgram> reconcile(SignedBpfProgram program, Context<SignedBpfProgram> context) {
        String name = program.getMetadata().getName();
        long generation = program.getMetadata().getGeneration();
        TrustState trustState = trust.state(context.getSecondaryResource(ConfigMap.class));
        VerificationOutcome verification = verifier.verify(program.getSpec(), trustState);

        Optional<String> selectorError = selectorError(program);
        SortedSet<String> targeted = context.getSecondaryResourcesAsStream(Node.class)
                .map(node -> node.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        ProgramObservation observation = new ProgramObservation(generation, verification, targeted, selectorError,
                reports(name, context.getSecondaryResources(BpfNodeState.class)));

        SignedBpfProgramStatus previous = program.getStatus();
        SignedBpfProgramStatus next = statusBuilder.build(observation, previous);
        metrics.programObserved(name, ProgramHealth.of(next));
        if (ProgramStatusBuilder.unchanged(previous, next)) {
            return UpdateControl.noUpdate();
        }
        ProgramEvents.between(previous, next).forEach(event -> events.record(program, event.reason(), event.message()));
        LOG.info("program={} generation={} verified={} targeted={} attached={} failed={}", name, generation,
                ProgramConditions.find(next, ConditionType.Verified).map(Condition::getReason).orElse("?"),
                next.getTargetedNodes(), next.getAttachedNodes(), next.getFailedNodes());
        program.setStatus(next);
        return UpdateControl.patchStatus(program);
    }

    @Override
    public DeleteControl cleanup(SignedBpfProgram program, Context<SignedBpfProgram> context) {
        String name = program.getMetadata().getName();
        Instant requested = Instant.parse(program.getMetadata().getDeletionTimestamp());
        ProgramDeletion.Decision decision = ProgramDeletion.decide(requested,
                reports(name, context.getSecondaryResources(BpfNodeState.class)), deletionTimeout, clock.instant());
        return switch (decision) {
            case ProgramDeletion.Release release -> {
                LOG.info("program={} unloaded everywhere; releasing the finalizer", name);
                metrics.programDeleted(name);
                yield DeleteControl.defaultDelete();
            }
            case ProgramDeletion.Wait wait -> {
                LOG.info("program={} deleted; waiting up to {} for nodes {} to unload it", name, wait.remaining(),
                        wait.nodes());
                yield DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.remaining().toMillis());
            }
            case ProgramDeletion.GiveUp giveUp -> {
                events.record(program, EventReason.DeletionTimedOut, "deleted after waiting " + giveUp.waited()
                        + " for nodes to unload it; still reported loaded on: " + String.join(", ", giveUp.nodes()));
                metrics.programDeleted(name);
                yield DeleteControl.defaultDelete();
            }
        };
    }

    private static Optional<String> selectorError(SignedBpfProgram program) {
        try {
            NodeSelector.of(program.getSpec() == null ? null : program.getSpec().getNodeSelector());
            return Optional.empty();
        } catch (NodeSelector.InvalidNodeSelectorException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Node name to that node's entry for the program. */
    private static SortedMap<String, NodeProgramState> reports(String program, Set<BpfNodeState> states) {
        SortedMap<String, NodeProgramState> reports = new TreeMap<>();
        for (BpfNodeState state : states) {
            if (state.getStatus() == null) {
                continue;
            }
            state.getStatus().getPrograms().stream()
                    .filter(entry -> program.equals(entry.getName()))
                    .findFirst()
                    .ifPresent(entry -> reports.put(state.getMetadata().getName(), entry));
        }
        return reports;
    }
}
