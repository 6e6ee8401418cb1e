package dev.sigil.operator.signedbpfprogram;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.operator.informers.TriggeringSource;
import dev.sigil.operator.nodes.MetadataOnlyNodeStore;
import dev.sigil.operator.nodes.NodeLookup;
import dev.sigil.operator.nodes.NodeStateCollector;
import dev.sigil.operator.nodes.Nodes;
import dev.sigil.operator.nodes.ProgramTargets;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSourceStartPriority;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The program controller's view of the Nodes: a node that appears, changes its labels or goes triggers the
 * programs whose targets it moves ({@link ProgramTargets}); heartbeats and status changes are ignored. A node that
 * goes takes its BpfNodeState with it ({@link NodeStateCollector}). Starts before the other sources, so that the
 * node states are read against a complete list of nodes.
 */
final class NodeTargetSource extends TriggeringSource<Node, SignedBpfProgram> {
    static final String NAME = "nodes";

    private final ProgramTargets targets;
    private final NodeStateCollector collector;

    NodeTargetSource(EventSourceContext<SignedBpfProgram> context, ProgramTargets targets,
            NodeStateCollector collector) {
        super(InformerEventSourceConfiguration.from(Node.class, SignedBpfProgram.class)
                .withName(NAME)
                .withItemStore(new MetadataOnlyNodeStore())
                .withSecondaryToPrimaryMapper(node -> Set.of())
                .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<SignedBpfProgram>) program -> targets
                        .nodesTargetedBy(program).stream().map(ResourceID::new).collect(Collectors.toSet()))
                .build(), context);
        this.targets = targets;
        this.collector = collector;
        addIndexers(Map.of(NodeLookup.LABEL_INDEX, NodeLookup::indexKeys));
        targets.readNodesFrom(new NodeLookup() {
            @Override
            public Stream<Node> all() {
                return list();
            }

            @Override
            public Collection<Node> labelled(String key, String value) {
                return byIndex(NodeLookup.LABEL_INDEX, NodeLookup.indexKey(key, value));
            }
        });
        setEventSourcePriority(EventSourceStartPriority.RESOURCE_STATE_LOADER);
    }

    boolean knows(String node) {
        return get(new ResourceID(node)).isPresent();
    }

    @Override
    public void onAdd(Node node) {
        super.onAdd(node);
        trigger(targets.nodeChanged(node));
    }

    @Override
    public void onUpdate(Node previous, Node node) {
        super.onUpdate(previous, node);
        if (Nodes.labelsChanged(node, previous)) {
            trigger(targets.nodeChanged(node));
        }
    }

    @Override
    public void onDelete(Node node, boolean finalStateUnknown) {
        super.onDelete(node, finalStateUnknown);
        trigger(targets.nodeDeleted(node.getMetadata().getName()));
        collector.nodeMayBeGone(node.getMetadata().getName());
    }
}
