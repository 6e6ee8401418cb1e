package dev.sigil.agent.cluster;

import dev.sigil.agent.pods.NodePod;
import dev.sigil.agent.pods.NodePods;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent sees of the cluster, through Fabric8 shared informers: every SignedBpfProgram (resynced
 * every {@code resync}, which re-applies them), its own Node and its own BpfNodeState (each watched by a
 * {@code metadata.name} field selector, so the agent reads no other node's objects), once a program has a pod
 * target the pods on its node (a {@code spec.nodeName} field selector) and, once a pod target has a namespace
 * selector, the namespaces. Each cache keeps only what the agent reads ({@link TrimmedStore}). Informer callbacks only
 * tell the {@link Listener}; the caches are read on the agent's worker thread. Nodes, pods and namespaces are read
 * untyped ({@link GenericKubernetesResource}): the agent reads a few of their fields, and Fabric8's typed Node and Pod
 * models would load about 450 more classes, with a Jackson deserializer for each (measured in the README's footprint
 * section).
 */
final class ClusterView {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);
    /** Fabric8 raises a shorter resync period to this, with a warning. */
    private static final Duration MIN_RESYNC = Duration.ofSeconds(1);
    static final ResourceDefinitionContext NODES = coreResource("Node", "nodes", false);
    private static final ResourceDefinitionContext PODS = coreResource("Pod", "pods", true);
    private static final ResourceDefinitionContext NAMESPACES = coreResource("Namespace", "namespaces", false);
    // Worked out once: watching() runs on every tick and every pass, and Fabric8 derives a plural from the kind.
    private static final String PROGRAMS_PLURAL = HasMetadata.getPlural(SignedBpfProgram.class);
    private static final String NODE_STATES_PLURAL = HasMetadata.getPlural(BpfNodeState.class);

    /** Called on informer threads: must only queue work. */
    interface Listener {
        /** @param resync the periodic resync rather than a change */
        void programChanged(String name, boolean resync);

        /** The Node appeared, vanished or changed its labels. */
        void nodeChanged();

        /** The BpfNodeState changed or vanished (null): the agent rewrites it if it no longer says what it wrote. */
        void nodeStateChanged(BpfNodeState state);

        /** A pod on this node started, stopped or changed what pod targets read, or a namespace changed its labels. */
        void podsChanged();
    }

    private final KubernetesClient client;
    private final OpenWatches openWatches;
    private final String nodeName;
    private final Duration resync;
    private final Listener listener;
    // Replaced on the worker thread when relisting; stopped from the closing thread.
    private volatile SharedIndexInformer<SignedBpfProgram> programs;
    private volatile SharedIndexInformer<GenericKubernetesResource> node;
    private volatile SharedIndexInformer<BpfNodeState> nodeState;
    // Started by the first pod target; most agents never read a pod.
    private volatile SharedIndexInformer<GenericKubernetesResource> pods;
    // Started by the first pod target with a namespace selector.
    private volatile SharedIndexInformer<GenericKubernetesResource> namespaces;

    ClusterView(AgentClient client, String nodeName, Duration resync, Listener listener) {
        this.client = client.kubernetes();
        this.openWatches = client.watches();
        this.nodeName = nodeName;
        this.resync = resync.compareTo(MIN_RESYNC) < 0 ? MIN_RESYNC : resync;
        this.listener = listener;
    }

    void start() {
        programs = watch("SignedBpfProgram",
                client.resources(SignedBpfProgram.class).runnableInformer(resync.toMillis()),
                TrimmedStore.withoutBookkeeping(),
                (before, after) -> listener.programChanged(name(after != null ? after : before),
                        before != null && after != null && sameVersion(before, after)));
        node = watch("Node", client.genericKubernetesResources(NODES).withField("metadata.name", nodeName).runnableInformer(0),
                TrimmedStore.keeping(List.of()),
                (before, after) -> {
                    if (before == null || after == null || !Objects.equals(labels(before), labels(after))) {
                        listener.nodeChanged();
                    }
                });
        nodeState = watch("BpfNodeState",
                client.resources(BpfNodeState.class).withField("metadata.name", nodeName).runnableInformer(0),
                TrimmedStore.withoutBookkeeping(),
                (before, after) -> listener.nodeStateChanged(after));
        if (pods != null) {
            pods = null;
            watchPods();
        }
        if (namespaces != null) {
            namespaces = null;
            watchNamespaces();
        }
    }

    void stop() {
        Stream.of(programs, node, nodeState, pods, namespaces).filter(Objects::nonNull).forEach(SharedIndexInformer::stop);
    }

    /** Lists everything afresh with new informers. */
    void relist() {
        stop();
        start();
    }

    /** Whether every informer has listed and the API server is answering its watch now. */
    boolean watching() {
        return live(programs, PROGRAMS_PLURAL) && live(node, NODES.getPlural()) && live(nodeState, NODE_STATES_PLURAL)
                && live(pods, PODS.getPlural()) && live(namespaces, NAMESPACES.getPlural());
    }

    /** Not started counts as live: only a watch that was started can be down. */
    private boolean live(SharedIndexInformer<?> informer, String resource) {
        return informer == null || informer.hasSynced() && openWatches.isOpen(resource);
    }

    /** Starts watching the pods on this node, once: a pod target reads them. Returns whether it started now. */
    boolean watchPods() {
        if (pods != null) {
            return false;
        }
        pods = watch("Pod", client.genericKubernetesResources(PODS).inAnyNamespace().withField("spec.nodeName", nodeName)
                        .runnableInformer(0),
                TrimmedStore.keeping(NodePods.POD_FIELDS_READ),
                (before, after) -> {
                    if (before == null || after == null || !NodePods.sameTargeting(before, after)) {
                        listener.podsChanged();
                    }
                });
        return true;
    }

    /**
     * Starts watching namespaces, once: a pod target's namespace selector reads their labels. Returns whether it
     * started now.
     */
    boolean watchNamespaces() {
        if (namespaces != null) {
            return false;
        }
        namespaces = watch("Namespace", client.genericKubernetesResources(NAMESPACES).runnableInformer(0),
                TrimmedStore.keeping(List.of()),
                (before, after) -> {
                    if (before == null || after == null || !Objects.equals(labels(before), labels(after))) {
                        listener.podsChanged();
                    }
                });
        return true;
    }

    /** The pods running on this node (the field selector's, checked again here); none until {@link #watchPods()}. */
    List<NodePod> pods() {
        SharedIndexInformer<GenericKubernetesResource> watched = pods;
        return watched == null ? List.of() : NodePods.onNode(watched.getStore().list(), nodeName);
    }

    /** Each namespace's labels; empty until {@link #watchNamespaces()}. */
    Map<String, Map<String, String>> namespaceLabels() {
        SharedIndexInformer<GenericKubernetesResource> watched = namespaces;
        return watched == null ? Map.of() : NodePods.namespaceLabels(watched.getStore().list());
    }

    Optional<GenericKubernetesResource> node() {
        return node.getStore().list().stream().findFirst();
    }

    Optional<Map<String, String>> nodeLabels() {
        return node().map(ClusterView::labels);
    }

    Optional<SignedBpfProgram> program(String name) {
        return Optional.ofNullable(programs.getStore().getByKey(name));
    }

    List<SignedBpfProgram> programs() {
        return programs.getStore().list();
    }

    static Map<String, String> labels(HasMetadata resource) {
        Map<String, String> labels = resource.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    private static boolean sameVersion(HasMetadata before, HasMetadata after) {
        return Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
    }

    private static String name(HasMetadata resource) {
        return resource.getMetadata().getName();
    }

    private static ResourceDefinitionContext coreResource(String kind, String plural, boolean namespaced) {
        // Stated, not discovered: Fabric8 would otherwise ask the API server what a Node is.
        return new ResourceDefinitionContext.Builder().withGroup("").withVersion("v1").withKind(kind).withPlural(plural)
                .withNamespaced(namespaced).build();
    }

    @FunctionalInterface
    private interface Change<T> {
        /** {@code before} is null for an add, {@code after} for a delete. */
        void changed(T before, T after);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(String kind, SharedIndexInformer<T> informer,
            TrimmedStore<T> store, Change<T> change) {
        informer.itemStore(store);
        informer.exceptionHandler((started, error) -> {
            LOG.warn("Watching {} failed, retrying: {}", kind, error.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T resource) {
                change.changed(null, resource);
            }

            @Override
            public void onUpdate(T before, T after) {
                change.changed(before, after);
            }

            @Override
            public void onDelete(T resource, boolean finalStateUnknown) {
                change.changed(resource, null);
            }
        });
        informer.start();
        return informer;
    }
}
