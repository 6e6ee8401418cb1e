package dev.sigil.operator.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the one agent DaemonSet as the operator's configuration describes it, in one place. Keyed on the
 * trust ConfigMap every agent pod mounts (the part of the configuration that lives in the cluster): one
 * primary, so one reconcile at a time and no racing creates. The DaemonSet exists from the moment the operator
 * runs and that ConfigMap does, whether or not any program exists yet: its node selector starts no pod until a
 * node carries the agent label, and an agent without its trust ConfigMap could not start anyway. It is updated
 * when the configuration changes (the operator restarted with new settings) and put back when edited or
 * deleted. Programs play no part in it.
 */
@ControllerConfiguration(name = AgentDaemonSetReconciler.NAME)
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

    /** Watches only the agents' trust ConfigMap. */
    public void configure(ControllerConfigurationOverrider<ConfigMap> overrider) {
        overrider.settingNamespace(namespace)
                .withGenericFilter(configMap -> trustConfigMap.equals(configMap.getMetadata().getName()));
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
