package dev.sigil.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a blocking Fabric8 call on the calling thread. Fabric8 waits for each response with an unbounded
 * {@code CompletableFuture.get()}, and its request timeout bounds only the wait for the response's headers (the
 * JDK HTTP client's timeout): a response whose body stalls, or a lost completion, leaves the caller waiting for
 * ever, as a cluster agent's status write once did in a soak. When the bound passes, the calling thread is
 * interrupted, which Fabric8 turns into a {@link KubernetesClientException}; the interrupt is then cleared, so the
 * caller's next wait is not cut short by it.
 */
final class CallBound {
    private final Duration bound;

    CallBound(Duration bound) {
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("a call bound must be positive, got " + bound);
        }
        this.bound = bound;
    }

    /** @throws KubernetesClientException the call's own, or one saying no answer came within the bound */
    void run(String what, Runnable call) {
        Alarm alarm = new Alarm(Thread.currentThread());
        Executor afterBound = CompletableFuture.delayedExecutor(bound.toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture.runAsync(alarm::ring, afterBound);
        try {
            call.run();
        } catch (KubernetesClientException e) {
            if (alarm.silence()) {
                throw new KubernetesClientException(what + ": no answer within " + bound.toMillis() + " ms", e);
            }
            throw e;
        } finally {
            if (alarm.silence()) {
                Thread.interrupted();
            }
        }
    }

    /** Interrupts its thread once, unless silenced first; silenced, it never interrupts. */
    private static final class Alarm {
        private final Thread thread;
        private boolean silenced;
        private boolean rang;

        Alarm(Thread thread) {
            this.thread = thread;
        }

        synchronized void ring() {
            if (!silenced) {
                rang = true;
                thread.interrupt();
            }
        }

        /** Whether it rang; after this it cannot. */
        synchronized boolean silence() {
            silenced = true;
            return rang;
        }
    }
}
