package dev.sigil.agent.cluster;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Gives back to the node the heap a burst of work grew, once the agent is idle again. The agent runs SerialGC,
 * which shrinks its heap only at a full collection, and then in damped steps (the first collection after growth
 * may even leave more committed, the next ones a further 10 %, 40 %, then all the way to the image's
 * {@code MaxHeapFreeRatio} above what is live): an agent that is idle, and whose JIT no longer fills the code
 * cache, never collects fully, so the heap its start, a wave of applies or a watch's re-list grew would stay
 * committed for good. So once the agent is idle, the first time and whenever the committed heap has grown by
 * {@link #GROWTH} since, it collects fully on the next {@link #STEPS} idle ticks, the damping's whole course: a
 * heap within twice its live set still held 5 MiB it could give back (a 900 s soak: 18 MiB committed for 11 MiB
 * live after one collection). Work keeps it from collecting; a heap that does not grow costs no collection.
 * Under any other collector (G1 gives back idle heap itself, with {@code G1PeriodicGCInterval}) it does nothing;
 * {@code -XX:+DisableExplicitGC} turns the collection off too.
 */
final class IdleHeapReturn {
    /** Below a young generation's worth: a 4 MiB threshold let 3 MiB of promoted garbage stay (NMT, 900 s soak). */
    static final long GROWTH = 1L << 20;
    static final int STEPS = 4;
    /** The names SerialGC's two collectors report. */
    private static final Set<String> SERIAL_COLLECTORS = Set.of("Copy", "MarkSweepCompact");

    /** Never collects: the heap is another collector's to give back. */
    private static final IdleHeapReturn OFF = new IdleHeapReturn(null, null);

    private final LongSupplier committedHeap;
    private final Runnable fullCollection;
    // Touched on the worker thread only. Negative until the first idle tick.
    private long settledBytes = -1;
    private int stepsLeft;

    IdleHeapReturn(LongSupplier committedHeap, Runnable fullCollection) {
        this.committedHeap = committedHeap;
        this.fullCollection = fullCollection;
    }

    /** This JVM's heap if it runs SerialGC; else one that never collects. */
    static IdleHeapReturn forThisJvm() {
        return isSerial(thisJvmsCollectors())
                ? new IdleHeapReturn(() -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(), System::gc)
                : OFF;
    }

    static List<String> thisJvmsCollectors() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList();
    }

    static boolean isSerial(List<String> collectorNames) {
        return !collectorNames.isEmpty() && SERIAL_COLLECTORS.containsAll(collectorNames);
    }

    /** Called on every tick with whether the agent has nothing to do; returns whether it collected. */
    boolean tick(boolean idle) {
        if (!idle || this == OFF) {
            return false;
        }
        if (settledBytes < 0 || committedHeap.getAsLong() - settledBytes >= GROWTH) {
            stepsLeft = STEPS;
        }
        if (stepsLeft == 0) {
            return false;
        }
        fullCollection.run();
        settledBytes = committedHeap.getAsLong();
        stepsLeft--;
        return true;
    }
}
