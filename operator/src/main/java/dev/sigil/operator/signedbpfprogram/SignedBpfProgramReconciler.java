package dev.sigil.operator.signedbpfprogram;

import dev.sigil.api.NodeSelector;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.operator.conditions.ConditionType;
import dev.sigil.operator.conditions.ProgramConditions;
import dev.sigil.operator.conditions.ProgramHealth;
import dev.sigil.operator.events.EventReason;
import dev.sigil.operator.events.EventRecorder;
import dev.sigil.operator.metrics.SigilMetrics;
import dev.sigil.operator.nodes.NodeReports;
import dev.sigil.operator.nodes.NodeStateCollector;
import dev.sigil.operator.nodes.ProgramTargets;
import dev.sigil.operator.trust.TrustConfigMap;
import dev.sigil.operator.trust.TrustState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one SignedBpfProgram: verifies it against the trust ConfigMap, works out the nodes it
 * targets and folds the nodes' reports into its status. Deletion waits, through a finalizer, until no node
 * reports the program loaded. The agent DaemonSet is not its business ({@code AgentDaemonSetReconciler}).
 *
 * <p>Built for thousands of nodes: targets and node reports come from indexes kept by the event sources
 * ({@link ProgramTargets}, {@link NodeReports}), which also decide which programs a node's change concerns, and
 * verdicts from a {@link VerificationCache}; a reconcile costs in proportion to its own nodes.
 */
@ControllerConfiguration(name = SignedBpfProgramReconciler.NAME, finalizerName = SignedBpfProgramReconciler.FINALIZER)
public class SignedBpfProgramReconciler implements Reconciler<SignedBpfProgram>, Cleaner<SignedBpfProgram> {
    public static final String NAME = "signedbpfprogram";
    /** Held until the nodes report the program unloaded (or the deletion timeout passes). */
    public static final String FINALIZER = "sigil.dev/node-unload";
    static final String TRUST_SOURCE = "trust-configmap";

    private static final Logger LOG = LoggerFactory.getLogger(SignedBpfProgramReconciler.class);

    private final TrustConfigMap trust;
    private final VerificationCache verifier;
    private final ProgramStatusBuilder statusBuilder;
    private final EventRecorder events;
    private final SigilMetrics metrics;
    private final Duration deletionTimeout;
    private final Clock clock;
    private final ProgramTargets targets = new ProgramTargets();
    private final NodeReports reports;

    /**
     * @param reports where this controller's BpfNodeState informer puts the nodes' reports (shared with the
     *     agent-label controller, so the operator lists and watches node states once)
     */
    public SignedBpfProgramReconciler(TrustConfigMap trust, EventRecorder events, SigilMetrics metrics,
            Duration deletionTimeout, NodeReports reports, Clock clock) {
        this.trust = trust;
        this.verifier = new VerificationCache(new ProgramVerifier(clock)::verify, clock);
        this.statusBuilder = new ProgramStatusBuilder(clock);
        this.events = events;
        this.metrics = metrics;
        this.deletionTimeout = deletionTimeout;
        this.clock = clock;
        this.reports = reports;
    }

    @Override
    public List<EventSource<?, SignedBpfProgram>> prepareEventSources(EventSourceContext<SignedBpfProgram> context) {
        ResourceID trustId = new ResourceID(trust.ref().name(), trust.ref().namespace());
        var trustSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ConfigMap.class, SignedBpfProgram.class)
                        .withName(TRUST_SOURCE)
                        .withNamespaces(trust.ref().namespace())
                        .withFieldSelector(new FieldSelector(new FieldSelector.Field("metadata.name", trust.ref().name())))
                        // A new bundle can change any program's verdict.
                        .withSecondaryToPrimaryMapper(configMap -> context.getPrimaryCache().list()
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper(program -> Set.of(trustId))
                        .build(),
                context);
        NodeStateCollector collector = new NodeStateCollector(context.getClient());
        NodeTargetSource nodes = new NodeTargetSource(context, targets, collector);
        return List.of(trustSource, nodes, new NodeReportSource(context, reports, targets, nodes::knows, collector));
    }

    @Override
    public UpdateControl<SignedBpfProgram> reconcile(SignedBpfProgram program, Context<SignedBpfProgram> context) {
        String name = program.getMetadata().getName();
        long generation = program.getMetadata().getGeneration();
        TrustState trustState = trust.state(context.getSecondaryResource(ConfigMap.class));
        VerificationOutcome verification = verifier.verify(program.getSpec(), trustState);

        SortedSet<String> targeted = targets.nodesTargetedBy(program);
        Instant now = clock.instant();
        ProgramObservation observation = new ProgramObservation(generation, verification, targeted,
                selectorError(program), reports.reportsFor(name), reports.staleAmong(targeted, now));

        SignedBpfProgramStatus previous = program.getStatus();
        SignedBpfProgramStatus next = statusBuilder.build(observation, previous);
        metrics.programObserved(name, ProgramHealth.of(next));
        if (ProgramStatusBuilder.unchanged(previous, next)) {
            return UpdateControl.noUpdate();
        }
        ProgramEvents.between(previous, next).forEach(event -> events.record(program, event.reason(), event.message()));
        LOG.info("program={} generation={} verified={} targeted={} attached={} failed={} stale={}", name, generation,
                ProgramConditions.find(next, ConditionType.Verified).map(Condition::getReason).orElse("?"),
                next.getTargetedNodes(), next.getAttachedNodes(), next.getFailedNodes(), next.getStaleNodes());
        ProgramStatusWriter.write(program, next, context);
        return UpdateControl.noUpdate();
    }

    @Override
    public DeleteControl cleanup(SignedBpfProgram program, Context<SignedBpfProgram> context) {
        String name = program.getMetadata().getName();
        Instant requested = Instant.parse(program.getMetadata().getDeletionTimestamp());
        ProgramDeletion.Decision decision = ProgramDeletion.decide(requested, reports.reportsFor(name), deletionTimeout,
                clock.instant());
        return switch (decision) {
            case ProgramDeletion.Release release -> {
                LOG.info("program={} unloaded everywhere; releasing the finalizer", name);
                forget(program);
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
                forget(program);
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

    private void forget(SignedBpfProgram program) {
        metrics.programDeleted(program.getMetadata().getName());
        targets.forget(program.getMetadata().getName());
        events.forget(program);
    }
}
