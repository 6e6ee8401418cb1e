package dev.sigil.operator.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.ResolvedControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the one agent DaemonSet as the operator's configuration describes it, in one place. Keyed on the
 * trust ConfigMap every agent pod mounts (the part of the configuration that lives in the cluster): one
 * primary, so one reconcile at a time and no racing creates. The DaemonSet exists from the moment the operator
 * runs and that ConfigMap does, whether or not any program exists yet: its node selector starts no pod until a
 * node carries the agent label, and an agent without its trust ConfigMap could not start anyway. It is updated
 * when the configuration changes (the operator restarted with new settings) and put back when edited or
 * deleted. Programs play no part in it.
 */
@io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration(name = AgentDaemonSetReconciler.NAME)
public final class AgentDaemonSetReconciler implements Reconciler<ConfigMap> {
    public static final String NAME = "agent-daemonset";

    private final String namespace;
    private final String trustConfigMap;
    private final AgentDaemonSetDependent daemonSet;

    /**
     * @param namespace where the DaemonSet and the trust ConfigMap its pods mount live
     * @param owner the operator's Deployment, when known
     */
    public AgentDaemonSetReconciler(AgentConfig agent, String namespace, Optional<OwnerReference> owner) {
        this.namespace = namespace;
        this.trustConfigMap = agent.trustConfigMap();
        this.daemonSet = new AgentDaemonSetDependent(agent, namespace, owner);
    }

    /**
     * This controller's configuration: it lists and watches the agents' trust ConfigMap by name (a field
     * selector), the one ConfigMap the operator may read there. JOSDK's overrider cannot set a field selector,
     * so the informer configuration is rebuilt with one.
     */
    public ControllerConfiguration<ConfigMap> configuration(ConfigurationService service) {
        ControllerConfiguration<ConfigMap> annotated = service.getConfigurationFor(this);
        InformerConfiguration<ConfigMap> byName = InformerConfiguration.builder(annotated.getInformerConfig())
                .withNamespaces(Set.of(namespace))
                .withFieldSelector(new FieldSelector(new FieldSelector.Field("metadata.name", trustConfigMap)))
                .buildForController();
        return new ResolvedControllerConfiguration<>(annotated.getName(), annotated.isGenerationAware(),
                annotated.getAssociatedReconcilerClassName(), annotated.getRetry(), annotated.getRateLimiter(),
                annotated.maxReconciliationInterval().orElse(null), annotated.getFinalizerName(), Map.of(),
                annotated.fieldManager(), service, byName, annotated.triggerReconcilerOnAllEvents(), null);
    }

    @Override
    public List<EventSource<?, ConfigMap>> prepareEventSources(EventSourceContext<ConfigMap> context) {
        return List.of(daemonSet.eventSource(context).orElseThrow());
    }

    @Override
    public UpdateControl<ConfigMap> reconcile(ConfigMap trust, Context<ConfigMap> context) {
        daemonSet.reconcile(trust, context);
        return UpdateControl.noUpdate();
    }
}
