package dev.sigil.operator.agent;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agent DaemonSet as a dependent of every SignedBpfProgram: one shared object whose desired state
 * does not depend on which program is reconciled (the node label decides where agents run). Because
 * it is shared it is never deleted with a program and carries no per-program owner or annotation; its
 * owner is the operator's Deployment (see {@link OperatorOwner}).
 */
public class AgentDaemonSetDependent extends KubernetesDependentResource<DaemonSet, SignedBpfProgram>
        implements Creator<DaemonSet, SignedBpfProgram>, Updater<DaemonSet, SignedBpfProgram> {
    public static final String NAME = "agent-daemonset";

    private final AgentConfig agent;
    private final String namespace;
    private final Optional<OwnerReference> owner;
    /** The last version of the actual DaemonSet found to match: the desired one is the same for every program. */
    private volatile String matchedVersion;

    public AgentDaemonSetDependent(AgentConfig agent, String namespace, Optional<OwnerReference> owner) {
        super(DaemonSet.class, NAME);
        this.agent = agent;
        this.namespace = namespace;
        this.owner = owner;
    }

    @Override
    protected DaemonSet desired(SignedBpfProgram primary, Context<SignedBpfProgram> context) {
        return AgentDaemonSet.desired(agent, namespace, owner);
    }

    /**
     * Every program reconcile runs this workflow; comparing the whole DaemonSet each time (a JSON diff) cost a
     * tenth of the operator's CPU at 1,000 programs. A version that matched once matches for every program, as
     * the desired DaemonSet does not depend on the program; any change to it brings a new version to compare.
     */
    @Override
    public Result<DaemonSet> match(DaemonSet actual, SignedBpfProgram primary, Context<SignedBpfProgram> context) {
        String version = actual.getMetadata().getResourceVersion();
        if (version != null && version.equals(matchedVersion)) {
            return Result.nonComputed(true);
        }
        Result<DaemonSet> result = super.match(actual, primary, context);
        if (result.matched()) {
            matchedVersion = version;
        }
        return result;
    }

    /**
     * Programs reconcile concurrently; when several find the DaemonSet missing, one creates it and the
     * others adopt that one instead of failing their reconcile.
     */
    @Override
    public DaemonSet create(DaemonSet desired, SignedBpfProgram primary, Context<SignedBpfProgram> context) {
        try {
            return super.create(desired, primary, context);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            DaemonSet existing = context.getClient().resource(desired).get();
            if (existing == null) {
                throw e;
            }
            return existing;
        }
    }

    @Override
    protected ResourceID targetSecondaryResourceID(SignedBpfProgram primary, Context<SignedBpfProgram> context) {
        return new ResourceID(AgentDaemonSet.NAME, namespace);
    }

    @Override
    protected void addReferenceHandlingMetadata(DaemonSet desired, SignedBpfProgram primary) {
        // Shared by all programs: naming one of them would make every reconcile rewrite it.
    }

    @Override
    protected InformerEventSource<DaemonSet, SignedBpfProgram> createEventSource(
            EventSourceContext<SignedBpfProgram> context) {
        ResourceID id = new ResourceID(AgentDaemonSet.NAME, namespace);
        var configuration = InformerEventSourceConfiguration.from(DaemonSet.class, SignedBpfProgram.class)
                .withName(NAME)
                .withNamespaces(namespace)
                .withLabelSelector(AgentDaemonSet.NAME_LABEL + "=" + AgentDaemonSet.NAME)
                // Rollout progress updates the status only; spec edits and deletion need repair.
                .withOnUpdateFilter((current, previous) -> !Objects.equals(
                        current.getMetadata().getGeneration(), previous.getMetadata().getGeneration()))
                .withSecondaryToPrimaryMapper(daemonSet -> context.getPrimaryCache().list()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(program -> Set.of(id))
                .build();
        InformerEventSource<DaemonSet, SignedBpfProgram> eventSource = new InformerEventSource<>(configuration, context);
        setEventSource(eventSource);
        return eventSource;
    }
}
