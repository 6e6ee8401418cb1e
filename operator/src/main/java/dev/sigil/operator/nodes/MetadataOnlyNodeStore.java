package dev.sigil.operator.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * An informer store that keeps a Node's name, identity and labels only. Node objects carry large status
 * blocks (images, conditions) that Sigil never reads; with this, thousands of nodes cost little memory.
 */
public final class MetadataOnlyNodeStore extends TransformingItemStore<Node> {
    public MetadataOnlyNodeStore() {
        super(MetadataOnlyNodeStore::slim);
    }

    static Node slim(Node node) {
        Node slim = new Node();
        slim.setMetadata(new ObjectMetaBuilder()
                .withName(node.getMetadata().getName())
                .withUid(node.getMetadata().getUid())
                .withResourceVersion(node.getMetadata().getResourceVersion())
                .withDeletionTimestamp(node.getMetadata().getDeletionTimestamp())
                .withLabels(node.getMetadata().getLabels())
                .build());
        return slim;
    }
}
