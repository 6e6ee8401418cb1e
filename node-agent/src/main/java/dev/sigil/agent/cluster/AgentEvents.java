package dev.sigil.agent.cluster;

import dev.sigil.agent.node.FailureCause;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.crds.EventLimiter;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.Sha256;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events from this node's agent about a SignedBpfProgram. They live in {@code default}, where the API
 * server requires Events about cluster-scoped objects. One Event object per (program, node, reason), named
 * from them, whose count grows on repeats (as client-go's EventCorrelator aggregates), also across agent restarts;
 * writes pass an {@link EventLimiter} and run on their own thread, so events never delay a reconcile and a
 * failing write is only logged.
 */
final class AgentEvents implements AutoCloseable {
    static final String NAMESPACE = "default";
    static final String COMPONENT = "sigil-agent";
    private static final Logger LOG = LoggerFactory.getLogger(AgentEvents.class);
    private static final int MAX_MESSAGE = 1024;
    private static final int MAX_NAME_PREFIX = 200;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    enum Reason {
        VerificationFailed("Warning"),
        LoadFailed("Warning"),
        AttachFailed("Warning"),
        AgentError("Warning"),
        DriftRepaired("Normal");

        final String type;

        Reason(String type) {
            this.type = type;
        }

        /** The event of a failed apply: the load (pins included) or the attach, the agent itself, else verification. */
        static Reason of(FailureCause cause) {
            if (cause instanceof FailureCause.Kernel(FailureReason reason)) {
                return reason == FailureReason.AttachFailed || reason == FailureReason.AttachUnsupported ? AttachFailed : LoadFailed;
            }
            // Any other refusal of the resource before the kernel saw it is reported as its verification failing.
            return cause instanceof FailureCause.Unexpected ? AgentError : VerificationFailed;
        }
    }

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private final EventLimiter limiter;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            runnable -> Thread.ofPlatform().name("sigil-agent-events").daemon().unstarted(runnable));

    AgentEvents(KubernetesClient client, String nodeName, Clock clock, EventLimiter limiter) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
        this.limiter = limiter;
    }

    void record(SignedBpfProgram program, Reason reason, String message) {
        OptionalInt occurrences = limiter.admit(program.getMetadata().getName(), reason.name());
        if (occurrences.isEmpty()) {
            return;
        }
        Event event = event(program, reason, message, occurrences.getAsInt());
        try {
            writer.execute(() -> write(event));
        } catch (RejectedExecutionException closed) {
            // Shutting down: the status says it all.
        }
    }

    /** The program no longer runs here: its rate-limit state goes. */
    void forget(String program) {
        limiter.forget(program);
    }

    private void write(Event event) {
        int occurrences = event.getCount();
        try {
            try {
                client.v1().events().inNamespace(NAMESPACE).resource(event).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
            client.v1().events().inNamespace(NAMESPACE).withName(event.getMetadata().getName()).edit(existing -> {
                existing.setCount((existing.getCount() == null ? 1 : existing.getCount()) + occurrences);
                existing.setLastTimestamp(event.getLastTimestamp());
                existing.setMessage(event.getMessage());
                existing.getInvolvedObject().setResourceVersion(event.getInvolvedObject().getResourceVersion());
                return existing;
            });
        } catch (KubernetesClientException e) {
            LOG.warn("Could not record event {} {}: {}", event.getReason(), event.getInvolvedObject().getName(), e.getMessage());
        }
    }

    private Event event(SignedBpfProgram program, Reason reason, String message, int occurrences) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        String name = program.getMetadata().getName();
        return new EventBuilder()
                .withNewMetadata()
                    .withName(eventName(name, program.getMetadata().getUid(), nodeName, reason))
                    .withNamespace(NAMESPACE)
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(program.getApiVersion())
                    .withKind(program.getKind())
                    .withName(name)
                    .withUid(program.getMetadata().getUid())
                    .withResourceVersion(program.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(reason.type)
                .withReason(reason.name())
                .withMessage(bounded("node " + nodeName + ": " + message))
                .withNewSource().withComponent(COMPONENT).withHost(nodeName).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(nodeName)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(occurrences)
                .build();
    }

    /** One name per (program incarnation, node, reason): the program's name and a digest of the rest. */
    static String eventName(String program, String uid, String node, Reason reason) {
        String prefix = program.length() > MAX_NAME_PREFIX ? program.substring(0, MAX_NAME_PREFIX) : program;
        byte[] digest = Sha256.digest(String.join("\n", program, String.valueOf(uid), node, reason.name())
                .getBytes(StandardCharsets.UTF_8));
        return prefix + "." + Sha256.hex(digest).substring(0, 16);
    }

    private static String bounded(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    /** Lets queued writes finish for a moment (an API server that hangs does not hold the shutdown), then stops. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
