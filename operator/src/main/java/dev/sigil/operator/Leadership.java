package dev.sigil.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election through the Lease {@value OperatorConfig#LEASE_NAME}, on JOSDK's machinery with two of its
 * defaults changed. JOSDK calls {@code System.exit} from whichever thread sees leadership end, which during
 * shutdown is the JVM's shutdown hook: it then waits forever for itself, and every rollout waits for the
 * kubelet's SIGKILL. Here a Lease lost while running ends the process from a thread of its own, and a Lease
 * given up at shutdown is released (JOSDK never releases it), so a successor need not wait for it to expire.
 */
final class Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** Releasing must not hold up the shutdown when the API server does not answer; the Lease then expires. */
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(2);
    /** A Lease's times are MicroTime: exactly six fraction digits. */
    static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String namespace;
    private final String identity;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();

    Leadership(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        // The pod name in a cluster; elsewhere two operators on one host must still differ.
        this.identity = Optional.ofNullable(System.getenv("POD_NAME")).filter(name -> !name.isBlank())
                .orElseGet(() -> "sigil-operator-" + UUID.randomUUID());
    }

    String identity() {
        return identity;
    }

    LeaderElectionConfiguration configuration() {
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(OperatorConfig.LEASE_NAME)
                .withLeaseNamespace(namespace)
                .withIdentity(identity)
                .withExitOnStopLeading(false)
                .withLeaderCallbacks(new LeaderCallbacks(() -> LOG.info("Leading as {}", identity), this::stoppedLeading,
                        leader -> { }))
                .build();
    }

    /** From now on, an end of leadership is the shutdown's own doing. */
    void stopping() {
        stopping.set(true);
    }

    /**
     * Gives the Lease up if this process holds it, as client-go's ReleaseOnCancel does: no holder, a
     * one-second duration. Call it once reconciles have stopped.
     */
    void release() {
        CompletableFuture<Void> release = CompletableFuture.runAsync(this::releaseNow);
        try {
            release.get(RELEASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            release.cancel(true);
            LOG.warn("Could not release the Lease {}/{}; it expires by itself: {}", namespace, OperatorConfig.LEASE_NAME,
                    e.getCause() == null ? e.toString() : e.getCause().getMessage());
        }
    }

    private void releaseNow() {
        var leases = client.leases().inNamespace(namespace).withName(OperatorConfig.LEASE_NAME);
        Lease lease = leases.get();
        if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
            return;
        }
        String now = MICRO_TIME.format(Instant.now());
        try {
            leases.patch(PatchContext.of(PatchType.JSON_MERGE), """
                    {"metadata": {"resourceVersion": "%s"}, "spec": {"holderIdentity": null, "leaseDurationSeconds": 1,
                     "acquireTime": "%s", "renewTime": "%s"}}""".formatted(lease.getMetadata().getResourceVersion(), now, now));
            LOG.info("Released the Lease {}/{}", namespace, OperatorConfig.LEASE_NAME);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Changed meanwhile: someone else holds it now.
        }
    }

    private void stoppedLeading() {
        if (stopping.get() || !lost.compareAndSet(false, true)) {
            return;
        }
        // Another leader may be reconciling already: stop at once, but never from a thread the shutdown waits for.
        Thread.ofPlatform().name("sigil-operator-lost-lease").start(() -> {
            LOG.error("Lost the Lease {}/{}: exiting so that only the new leader reconciles", namespace, OperatorConfig.LEASE_NAME);
            System.exit(1);
        });
    }
}
