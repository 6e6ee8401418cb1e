package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1);
    private final List<String> runs = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopWorker() {
        worker.shutdownNow();
    }

    @Test
    void aKeyWaitsOnceAndAReapplyRequestFoldsIntoIt() throws Exception {
        WorkQueue queue = new WorkQueue(worker, record(WorkQueue.Result.Done), Duration.ofMillis(10), Duration.ofMillis(100));
        CountDownLatch busy = new CountDownLatch(1);
        worker.execute(() -> waitFor(busy));

        queue.add("counter", false);
        queue.add("counter", true);
        queue.add("counter", false);
        queue.add("other", false);
        busy.countDown();

        await().until(() -> runs.size() == 2);
        worker.submit(() -> { }).get();
        assertThat(runs).containsExactly("counter reapply=true", "other reapply=false");
    }

    @Test
    void isIdleOnlyWhileNoKeyWaits() throws Exception {
        WorkQueue queue = new WorkQueue(worker, record(WorkQueue.Result.Done), Duration.ofMillis(10), Duration.ofMillis(100));
        CountDownLatch busy = new CountDownLatch(1);
        worker.execute(() -> waitFor(busy));
        assertThat(queue.idle()).isTrue();

        queue.add("counter", false);
        assertThat(queue.idle()).isFalse();
        busy.countDown();

        await().until(() -> runs.size() == 1);
        worker.submit(() -> { }).get();
        assertThat(queue.idle()).isTrue();
    }

    @Test
    void aKeyAddedWhileItRunsRunsAgainAfterwards() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        WorkQueue queue = new WorkQueue(worker, (key, reapply) -> {
            if (calls.incrementAndGet() == 1) {
                running.countDown();
                waitFor(release);
            }
            return WorkQueue.Result.Done;
        }, Duration.ofMillis(10), Duration.ofMillis(100));

        queue.add("counter", false);
        running.await();
        queue.add("counter", false);
        release.countDown();

        await().until(() -> calls.get() == 2);
    }

    @Test
    void retriesWithAGrowingBackoffUntilDoneThenForgetsTheRetries() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Long> times = new CopyOnWriteArrayList<>();
        WorkQueue queue = new WorkQueue(worker, (key, reapply) -> {
            times.add(System.nanoTime());
            return calls.incrementAndGet() < 4 ? WorkQueue.Result.Retry : WorkQueue.Result.Done;
        }, Duration.ofMillis(50), Duration.ofSeconds(1));

        queue.add("counter", true);

        await().until(() -> calls.get() == 4);
        // Each retry waits at least its backoff: 50, 100 and 200 ms.
        assertThat(Duration.ofNanos(times.get(1) - times.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(Duration.ofNanos(times.get(2) - times.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.ofNanos(times.get(3) - times.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(worker.submit(() -> queue.retries("counter")).get()).isZero();
    }

    @Test
    void anExceptionOfTheWorkIsRetriedNotLost() {
        AtomicInteger calls = new AtomicInteger();
        WorkQueue queue = new WorkQueue(worker, (key, reapply) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("a defect of the work");
            }
            return WorkQueue.Result.Done;
        }, Duration.ofMillis(10), Duration.ofMillis(100));

        queue.add("counter", false);

        await().until(() -> calls.get() == 2);
    }

    @Test
    void backoffDoublesFromTheBaseUpToTheCap() {
        WorkQueue queue = new WorkQueue(worker, record(WorkQueue.Result.Done), Duration.ofMillis(100), Duration.ofMillis(500));

        assertThat(List.of(queue.backoff(1), queue.backoff(2), queue.backoff(3), queue.backoff(4), queue.backoff(1000)))
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                        Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void addsAfterShutdownAreIgnored() {
        WorkQueue queue = new WorkQueue(worker, record(WorkQueue.Result.Done), Duration.ofMillis(10), Duration.ofMillis(100));
        worker.shutdown();

        queue.add("counter", false);

        assertThat(runs).isEmpty();
    }

    private WorkQueue.Work record(WorkQueue.Result result) {
        return (key, reapply) -> {
            runs.add(key + " reapply=" + reapply);
            return result;
        };
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
