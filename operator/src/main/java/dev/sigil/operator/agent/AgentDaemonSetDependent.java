package dev.sigil.operator.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The agent DaemonSet, kept by {@link AgentDaemonSetReconciler} as a standalone dependent of the trust
 * ConfigMap its pods mount: created when missing, updated when it no longer matches what the configuration
 * describes, never deleted by the operator. Its owner is the operator's Deployment (see {@link OperatorOwner}),
 * not the ConfigMap, which the chart owns.
 */
final class AgentDaemonSetDependent extends KubernetesDependentResource<DaemonSet, ConfigMap>
        implements Creator<DaemonSet, ConfigMap>, Updater<DaemonSet, ConfigMap> {
    private final AgentConfig agent;
    private final String namespace;
    private final Optional<OwnerReference> owner;

    AgentDaemonSetDependent(AgentConfig agent, String namespace, Optional<OwnerReference> owner) {
        super(DaemonSet.class, AgentDaemonSetReconciler.NAME);
        this.agent = agent;
        this.namespace = namespace;
        this.owner = owner;
    }

    @Override
    protected DaemonSet desired(ConfigMap trust, Context<ConfigMap> context) {
        return AgentDaemonSet.desired(agent, namespace, owner);
    }

    @Override
    protected ResourceID targetSecondaryResourceID(ConfigMap trust, Context<ConfigMap> context) {
        return new ResourceID(AgentDaemonSet.NAME, namespace);
    }

    @Override
    protected void addReferenceHandlingMetadata(DaemonSet desired, ConfigMap trust) {
        // Owned by the operator's Deployment (set in desired), not by the ConfigMap.
    }

    @Override
    protected InformerEventSource<DaemonSet, ConfigMap> createEventSource(EventSourceContext<ConfigMap> context) {
        ResourceID daemonSet = new ResourceID(AgentDaemonSet.NAME, namespace);
        ResourceID trust = new ResourceID(agent.trustConfigMap(), namespace);
        var configuration = InformerEventSourceConfiguration.from(DaemonSet.class, ConfigMap.class)
                .withName(AgentDaemonSetReconciler.NAME)
                .withNamespaces(namespace)
                .withLabelSelector(AgentDaemonSet.NAME_LABEL + "=" + AgentDaemonSet.NAME)
                // Rollout progress updates the status only; spec edits and deletion need repair.
                .withOnUpdateFilter((current, previous) -> !Objects.equals(
                        current.getMetadata().getGeneration(), previous.getMetadata().getGeneration()))
                .withSecondaryToPrimaryMapper(agents -> Set.of(trust))
                .withPrimaryToSecondaryMapper(configMap -> Set.of(daemonSet))
                .build();
        InformerEventSource<DaemonSet, ConfigMap> eventSource = new InformerEventSource<>(configuration, context);
        setEventSource(eventSource);
        return eventSource;
    }
}
