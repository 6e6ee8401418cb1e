package dev.sigil.operator.events;

import dev.sigil.crds.BoundedText;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's one way to record Kubernetes Events. Events about Sigil's cluster-scoped objects are
 * written to the operator's namespace (kubectl describe finds them across namespaces), so the operator
 * needs Event rights in its own namespace only. Recording never fails a reconcile.
 */
public final class EventRecorder {
    public static final String COMPONENT = "sigil-operator";
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    public void record(HasMetadata subject, EventReason reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        String name = subject.getMetadata().getName();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
                    .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(subject.getApiVersion())
                    .withKind(subject.getKind())
                    .withName(name)
                    .withNamespace(subject.getMetadata().getNamespace())
                    .withUid(subject.getMetadata().getUid())
                    .withResourceVersion(subject.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(reason.type().name())
                .withReason(reason.name())
                .withMessage(BoundedText.cut(message, MAX_MESSAGE))
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warn("Could not record event {} for {}: {}", reason, name, e.getMessage());
        }
    }
}
