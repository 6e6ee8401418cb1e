package dev.sigil.operator.nodes;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The nodes a program's targets are worked out from (the node informer's cache): all of them, or, through a
 * label index, only those carrying one label value. A selector that requires a label value is matched against
 * that value's nodes alone: a node pool's program against its hundred nodes, not the cluster's thousands.
 */
public interface NodeLookup {
    /** The name of the informer index {@link #indexKeys} computes. */
    String LABEL_INDEX = "labels";

    Stream<Node> all();

    /** The nodes whose label {@code key} has this value. */
    Collection<Node> labelled(String key, String value);

    /** A node's keys in {@link #LABEL_INDEX}: one per label. */
    static List<String> indexKeys(Node node) {
        return Nodes.labels(node).entrySet().stream().map(label -> indexKey(label.getKey(), label.getValue())).toList();
    }

    /** Label keys cannot contain '=', so key and value are told apart. */
    static String indexKey(String key, String value) {
        return key + "=" + value;
    }
}
