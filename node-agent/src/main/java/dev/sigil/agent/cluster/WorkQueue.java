package dev.sigil.agent.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's work queue, after client-go's rate-limited workqueue: a key waits in it at most once however
 * often it is added (a re-apply request folds into the waiting one); keys are worked one at a time on the
 * given single worker thread; a key whose work asks for a retry comes back after its own exponential backoff
 * (base, doubled per consecutive retry, capped), reset once its work is done.
 */
final class WorkQueue {
    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

    enum Result { Done, Retry }

    @FunctionalInterface
    interface Work {
        /** @param reapply whether any add of the key since its last run asked to apply again what already runs */
        Result run(String key, boolean reapply);
    }

    private final ScheduledExecutorService worker;
    private final Work work;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Map<String, Boolean> waiting = new ConcurrentHashMap<>();
    // Touched on the worker thread only.
    private final Map<String, Integer> retries = new HashMap<>();

    WorkQueue(ScheduledExecutorService worker, Work work, Duration baseDelay, Duration maxDelay) {
        this.worker = worker;
        this.work = work;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /** Queues the key unless it waits already; ignored once the worker shuts down. */
    void add(String key, boolean reapply) {
        boolean[] fresh = new boolean[1];
        waiting.compute(key, (k, queued) -> {
            fresh[0] = queued == null;
            return queued == null ? reapply : queued || reapply;
        });
        if (fresh[0]) {
            try {
                worker.execute(() -> process(key));
            } catch (RejectedExecutionException shuttingDown) {
                waiting.remove(key);
            }
        }
    }

    /** Whether no key waits to be worked (a key waiting out its retry backoff is not queued until then). */
    boolean idle() {
        return waiting.isEmpty();
    }

    /** The wait before the {@code retry}-th consecutive retry of a key. */
    Duration backoff(int retry) {
        Duration delay = baseDelay.multipliedBy(1L << Math.min(retry - 1, 30));
        return delay.compareTo(maxDelay) > 0 || delay.isNegative() ? maxDelay : delay;
    }

    /** How many consecutive retries the key has had (worker thread). */
    int retries(String key) {
        return retries.getOrDefault(key, 0);
    }

    private void process(String key) {
        Boolean reapply = waiting.remove(key);
        if (reapply == null) {
            return;
        }
        Result result;
        try {
            result = work.run(key, reapply);
        } catch (RuntimeException e) {
            // The work turns its failures into status; reaching here is a defect of that, retried all the same.
            LOG.warn("Work on {} failed unexpectedly; retrying", key, e);
            result = Result.Retry;
        }
        if (result == Result.Done) {
            retries.remove(key);
            return;
        }
        int retry = retries.merge(key, 1, Integer::sum);
        try {
            worker.schedule(() -> add(key, reapply), backoff(retry).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // Nothing more runs: the shutdown pass decides.
        }
    }
}
