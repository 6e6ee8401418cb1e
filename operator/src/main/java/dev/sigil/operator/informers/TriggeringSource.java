package dev.sigil.operator.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;

/**
 * An informer whose changes trigger exactly the primaries they concern, worked out by the subclass from the
 * change itself (the object before and after, or an index's comparison with what it held), instead of mapping
 * every changed object to every primary it might concern: at thousands of nodes and programs that mapping is
 * millions of events. The configuration's secondary-to-primary mapper therefore names none.
 */
public abstract class TriggeringSource<R extends HasMetadata, P extends HasMetadata> extends InformerEventSource<R, P> {
    protected TriggeringSource(InformerEventSourceConfiguration<R> configuration, EventSourceContext<P> context) {
        super(configuration, context);
    }

    /** Reconciles these primaries (cluster-scoped, so a name is an id). */
    protected void trigger(Set<String> primaries) {
        EventHandler handler = getEventHandler();
        if (handler != null) {
            primaries.forEach(primary -> handler.handleEvent(new Event(new ResourceID(primary))));
        }
    }
}
