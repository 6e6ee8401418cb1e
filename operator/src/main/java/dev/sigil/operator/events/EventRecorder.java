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
 * The operator's one way to record Kubernetes Events. An Event lives in its subject's namespace; the API
 * server requires those about cluster-scoped objects (every SignedBpfProgram) to live in {@code default}
 * with an empty {@code involvedObject.namespace}, and refuses them anywhere else. Recording never fails
 * a reconcile.
 */
public final class EventRecorder {
    public static final String COMPONENT = "sigil-operator";
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    /** Where the API server wants Events about cluster-scoped objects. */
    public static final String CLUSTER_SCOPED_EVENT_NAMESPACE = "default";
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final Clock clock;
    private final EventSpamFilter spamFilter;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.spamFilter = new EventSpamFilter(clock);
    }

    /** The namespace an Event about this object must be written to. */
    public static String namespaceFor(HasMetadata subject) {
        String namespace = subject.getMetadata().getNamespace();
        return namespace == null || namespace.isEmpty() ? CLUSTER_SCOPED_EVENT_NAMESPACE : namespace;
    }

    /** Records the Event unless the subject has had its share lately ({@link EventSpamFilter}). */
    public void record(HasMetadata subject, EventReason reason, String message) {
        if (!spamFilter.allow(key(subject))) {
            LOG.debug("Event {} for {} not recorded: its Events are being rate-limited", reason, subject.getMetadata().getName());
            return;
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        String name = subject.getMetadata().getName();
        String namespace = namespaceFor(subject);
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

    /** The subject is gone: a new object of the same name starts with a full allowance. */
    public void forget(HasMetadata subject) {
        spamFilter.forget(key(subject));
    }

    /** The object's identity: its uid, or where it has none yet (not from the API server), its name. */
    private static String key(HasMetadata subject) {
        String uid = subject.getMetadata().getUid();
        return uid != null ? uid : namespaceFor(subject) + "/" + subject.getMetadata().getName();
    }
}
