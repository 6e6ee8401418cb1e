package dev.sigil.operator.signedbpfprogram;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;

/**
 * An informer whose changes trigger the programs an index names (the index compares each change with what it
 * held), instead of mapping every changed object to every program it might concern. The configuration's
 * secondary-to-primary mapper therefore names none.
 */
abstract class ProgramTriggeringSource<R extends HasMetadata> extends InformerEventSource<R, SignedBpfProgram> {
    ProgramTriggeringSource(InformerEventSourceConfiguration<R> configuration,
            EventSourceContext<SignedBpfProgram> context) {
        super(configuration, context);
    }

    /** Reconciles these programs (cluster-scoped, so a name is an id). */
    protected void trigger(Set<String> programs) {
        EventHandler handler = getEventHandler();
        if (handler != null) {
            programs.forEach(program -> handler.handleEvent(new Event(new ResourceID(program))));
        }
    }
}
