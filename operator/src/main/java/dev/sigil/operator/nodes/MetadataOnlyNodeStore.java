package dev.sigil.operator.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
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
        slim.setMetadata(identity(node.getMetadata()).withLabels(node.getMetadata().getLabels()).build());
        return slim;
    }

    /** What every slimmed object keeps of its metadata: who it is, which version, whether it is going. */
    static ObjectMetaBuilder identity(ObjectMeta metadata) {
        return new ObjectMetaBuilder()
                .withName(metadata.getName())
                .withUid(metadata.getUid())
                .withResourceVersion(metadata.getResourceVersion())
                .withDeletionTimestamp(metadata.getDeletionTimestamp());
    }
}
