package dev.sigil.operator.agent;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import java.util.Optional;

/**
 * Hands JOSDK a configured {@link AgentDaemonSetDependent} where the {@code @Workflow} declares one
 * (JOSDK would otherwise call a no-argument constructor); every other dependent is built as usual.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class AgentDependentFactory implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {
    private final AgentConfig agent;
    private final String namespace;
    private final Optional<OwnerReference> owner;

    public AgentDependentFactory(AgentConfig agent, String namespace, Optional<OwnerReference> owner) {
        this.agent = agent;
        this.namespace = namespace;
        this.owner = owner;
    }

    @Override
    public DependentResource createFrom(DependentResourceSpec spec, ControllerConfiguration<?> configuration) {
        if (spec.getDependentResourceClass() != AgentDaemonSetDependent.class) {
            return DEFAULT.createFrom(spec, configuration);
        }
        AgentDaemonSetDependent dependent = new AgentDaemonSetDependent(agent, namespace, owner);
        configure(dependent, spec, configuration);
        return dependent;
    }

    @Override
    public Class<?> associatedResourceType(DependentResourceSpec spec) {
        return spec.getDependentResourceClass() == AgentDaemonSetDependent.class
                ? DaemonSet.class
                : DEFAULT.associatedResourceType(spec);
    }
}
