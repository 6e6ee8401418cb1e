package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdleHeapReturnTest {
    private static final long MIB = 1L << 20;

    private long committed = 40 * MIB;
    /** What each full collection leaves committed, in turn; when none is left, it leaves the heap as it is. */
    private final Deque<Long> committedAfterCollections = new ArrayDeque<>();
    private final AtomicInteger collections = new AtomicInteger();
    private final IdleHeapReturn heapReturn = new IdleHeapReturn(
            () -> committed, () -> {
                collections.incrementAndGet();
                committed = committedAfterCollections.isEmpty() ? committed : committedAfterCollections.poll();
            });

    @Test
    void collectsOnTheFirstIdleTicksAndNotWhileBusy() {
        committedAfterCollections.add(20 * MIB);
        assertThat(heapReturn.tick(false)).isFalse();
        assertThat(heapReturn.tick(false)).isFalse();
        assertThat(collections).hasValue(0);

        for (int step = 0; step < IdleHeapReturn.STEPS; step++) {
            assertThat(heapReturn.tick(true)).as("step %d", step).isTrue();
        }
        assertThat(heapReturn.tick(true)).as("the damping's course run").isFalse();
        assertThat(collections).hasValue(IdleHeapReturn.STEPS);
    }

    @Test
    void followsSerialGcsDampedShrinkingToItsEndEvenWithinTwiceTheLiveHeap() {
        // As on the cluster agent after a watch's re-list: one collection left 18 MiB committed for 11 MiB live,
        // and stopping there (within twice the live heap) kept the rest committed. Here 14 MiB are live.
        committedAfterCollections.addAll(List.of(27 * MIB, 26 * MIB, 22 * MIB, 16 * MIB));
        for (int step = 0; step < IdleHeapReturn.STEPS; step++) {
            assertThat(heapReturn.tick(true)).as("step %d", step).isTrue();
        }
        assertThat(heapReturn.tick(true)).isFalse();
        assertThat(committed).isEqualTo(16 * MIB);
    }

    @Test
    void aHeapThatWillNotShrinkCostsAtMostStepsCollections() {
        committedAfterCollections.add(48 * MIB);
        for (int tick = 0; tick < 100; tick++) {
            heapReturn.tick(true);
        }
        assertThat(collections).hasValue(IdleHeapReturn.STEPS);
    }

    @Test
    void anIdleHeapThatDoesNotGrowIsNotCollectedAgain() {
        committedAfterCollections.add(20 * MIB);
        settleFirst();
        committed = 20 * MIB + IdleHeapReturn.GROWTH - 1;
        for (int tick = 0; tick < 100; tick++) {
            assertThat(heapReturn.tick(true)).isFalse();
        }
        assertThat(collections).hasValue(IdleHeapReturn.STEPS);
    }

    @Test
    void aHeapGrownByABurstIsCollectedOnceTheBurstIsOver() {
        committedAfterCollections.add(20 * MIB);
        settleFirst();
        committed = 20 * MIB + IdleHeapReturn.GROWTH;
        committedAfterCollections.add(20 * MIB);

        assertThat(heapReturn.tick(false)).as("still busy").isFalse();
        for (int step = 0; step < IdleHeapReturn.STEPS; step++) {
            assertThat(heapReturn.tick(true)).as("step %d", step).isTrue();
        }
        assertThat(heapReturn.tick(true)).as("settled again at 20 MiB").isFalse();
        assertThat(committed).isEqualTo(20 * MIB);
        assertThat(collections).hasValue(2 * IdleHeapReturn.STEPS);
    }

    @Test
    void aBurstBetweenStepsPostponesTheNextOne() {
        committedAfterCollections.addAll(List.of(48 * MIB, 30 * MIB));
        heapReturn.tick(true);
        assertThat(heapReturn.tick(false)).isFalse();
        assertThat(heapReturn.tick(true)).isTrue();
        assertThat(committed).isEqualTo(30 * MIB);
    }

    private void settleFirst() {
        while (heapReturn.tick(true)) {
            assertThat(collections).hasValueLessThanOrEqualTo(IdleHeapReturn.STEPS);
        }
    }

    @Test
    void onlySerialGcIsHelped() {
        assertThat(IdleHeapReturn.isSerial(List.of("Copy", "MarkSweepCompact"))).isTrue();
        assertThat(IdleHeapReturn.isSerial(List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation")))
                .isFalse();
        assertThat(IdleHeapReturn.isSerial(List.of("PS Scavenge", "PS MarkSweep"))).isFalse();
        assertThat(IdleHeapReturn.isSerial(List.of("ZGC Minor Cycles", "ZGC Minor Pauses", "ZGC Major Cycles", "ZGC Major Pauses"))).isFalse();
        assertThat(IdleHeapReturn.isSerial(List.of("Epsilon"))).isFalse();
        assertThat(IdleHeapReturn.isSerial(List.of())).isFalse();
    }

    @Test
    void underThisJvmsCollectorAnIdleAgentCollectsOnlyIfItIsSerialGcAndThenStops() {
        boolean serial = IdleHeapReturn.isSerial(IdleHeapReturn.thisJvmsCollectors());
        IdleHeapReturn thisJvm = IdleHeapReturn.forThisJvm();
        int collected = 0;
        while (collected <= IdleHeapReturn.STEPS && thisJvm.tick(true)) {
            collected++;
        }
        if (serial) {
            assertThat(collected).as("SerialGC, as the agent runs").isEqualTo(IdleHeapReturn.STEPS);
        } else {
            assertThat(collected).as("another collector gives back heap itself").isZero();
        }
        assertThat(thisJvm.tick(true)).isFalse();
    }
}
