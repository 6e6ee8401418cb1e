package dev.sigil.operator;

import dev.sigil.operator.agent.AgentDaemonSetReconciler;
import dev.sigil.operator.events.EventRecorder;
import dev.sigil.operator.metrics.CoreGroupTag;
import dev.sigil.operator.metrics.SigilMetrics;
import dev.sigil.operator.nodes.AgentNodeLabelReconciler;
import dev.sigil.operator.nodes.NodeReports;
import dev.sigil.operator.signedbpfprogram.SignedBpfProgramReconciler;
import dev.sigil.operator.trust.TrustConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The operator: three controllers on one JOSDK {@link Operator} (programs, the agent node label, the agent
 * DaemonSet), configured the same way whether it runs in a cluster, from the launcher, or in tests against the
 * mock API server. Status and finalizer writes use JSON patches, not server-side apply: the mock server cannot
 * apply, and one code path is what gets tested.
 */
public final class SigilOperator implements AutoCloseable {
    /** Reconciles are short; SIGTERM must end the operator well within Kubernetes' grace period. */
    private static final Duration RECONCILE_DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final Operator operator;
    private final Optional<Leadership> leadership;
    private volatile boolean stopping;

    private SigilOperator(Operator operator, Optional<Leadership> leadership) {
        this.operator = operator;
        this.leadership = leadership;
    }

    /**
     * @param agentOwner owner of the agent DaemonSet (the operator's Deployment), when known
     */
    public static SigilOperator create(KubernetesClient client, OperatorConfig config,
            Optional<OwnerReference> agentOwner, MeterRegistry registry, Clock clock) {
        registry.config().meterFilter(new CoreGroupTag());
        Optional<Leadership> leadership = config.leaderElection()
                ? Optional.of(new Leadership(client, config.namespace()))
                : Optional.empty();
        Operator operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                    .withReconciliationTerminationTimeout(RECONCILE_DRAIN_TIMEOUT);
            leadership.ifPresent(lease -> overrider.withLeaderElectionConfiguration(lease.configuration()));
        });
        EventRecorder events = new EventRecorder(client, clock);
        NodeReports reports = new NodeReports(config.staleness(), clock);
        SigilMetrics metrics = new SigilMetrics(registry, reports);
        operator.register(new SignedBpfProgramReconciler(new TrustConfigMap(config.trustConfigMap()), events, metrics,
                config.deletionTimeout(), reports, clock));
        operator.register(new AgentNodeLabelReconciler(reports));
        AgentDaemonSetReconciler agents = new AgentDaemonSetReconciler(config.agent(), config.namespace(), agentOwner);
        operator.register(agents, agents.configuration(operator.getConfigurationService()));
        return new SigilOperator(operator, leadership);
    }

    /** Starts the informers, then (as leader, when elected) the reconcilers. */
    public void start() {
        operator.start();
    }

    /** Alive until shutdown begins; API-server trouble shows in readiness, not as restarts. */
    public boolean isLive() {
        return !stopping && operator.getRuntimeInfo().isStarted();
    }

    /** Ready once started with every informer healthy. */
    public boolean isReady() {
        return isLive() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /**
     * Stops taking events, lets running reconciles finish (bounded), stops the informers, then releases the
     * leader Lease if this operator held it.
     */
    @Override
    public void close() {
        stopping = true;
        leadership.ifPresent(Leadership::stopping);
        operator.stop();
        leadership.ifPresent(Leadership::release);
    }
}
