package dev.sigil.operator.nodes;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the BpfNodeState of a node that no longer exists. The agent gives each state an
 * ownerReference to its Node, so a real cluster's garbage collector does this too; the operator does it
 * as well for clusters (and test servers) where that owner was never set or GC lags, so deleted nodes
 * never count in any program's status.
 */
@ControllerConfiguration(name = StaleNodeStateReconciler.NAME,
        informer = @Informer(itemStore = SlimNodeStateStore.class, onUpdateFilter = StaleNodeStateReconciler.NoUpdate.class))
public class StaleNodeStateReconciler implements Reconciler<BpfNodeState> {
    public static final String NAME = "stale-node-state";

    /** Whether a state's node exists does not change when the state does (agents rewrite it every minute). */
    public static final class NoUpdate implements OnUpdateFilter<BpfNodeState> {
        @Override
        public boolean accept(BpfNodeState current, BpfNodeState previous) {
            return false;
        }
    }
    private static final String NODE_SOURCE = "nodes";
    private static final Logger LOG = LoggerFactory.getLogger(StaleNodeStateReconciler.class);

    @Override
    public List<EventSource<?, BpfNodeState>> prepareEventSources(EventSourceContext<BpfNodeState> context) {
        var nodes = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Node.class, BpfNodeState.class)
                        .withName(NODE_SOURCE)
                        .withItemStore(new MetadataOnlyNodeStore())
                        // Only a node's disappearance matters here.
                        .withOnAddFilter(node -> false)
                        .withOnUpdateFilter((current, previous) -> false)
                        .withSecondaryToPrimaryMapper(node -> Set.of(new ResourceID(node.getMetadata().getName())))
                        .withPrimaryToSecondaryMapper(state -> Set.of(new ResourceID(state.getMetadata().getName())))
                        .build(),
                context);
        return List.of(nodes);
    }

    @Override
    public UpdateControl<BpfNodeState> reconcile(BpfNodeState state, Context<BpfNodeState> context) {
        String node = state.getMetadata().getName();
        if (context.getSecondaryResource(Node.class).isPresent()) {
            return UpdateControl.noUpdate();
        }
        // The cache can trail a node that was just created: only the API server's answer deletes.
        if (context.getClient().nodes().withName(node).get() == null) {
            LOG.info("node={} no longer exists; deleting its BpfNodeState", node);
            context.getClient().resource(state).delete();
        }
        return UpdateControl.noUpdate();
    }
}
