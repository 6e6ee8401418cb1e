package dev.sigil.bench;

import dev.sigil.agent.node.DeployStep;
import dev.sigil.agent.node.StepTimer;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.ProgInfo;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.testing.ForwardingSyscallBridge;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Splits one real {@code apply} into its phases without touching the host: a pass-through bridge that notes when
 * the first call of a phase reaches the kernel, and the host's step timer ({@link #stepTimer()}), which says when
 * each program's attach ended. The host's order is fixed (translate the resource, verify, the loader protocol from
 * its map create, attach from the first program-info read to the end of the last program's attach step, then the
 * map ids, the pin directory, the pins and the records), so the phases add up to the whole apply. Also reads the
 * thread's CPU clock (user + system time) where load + attach starts and ends and at the ends of the apply: on a
 * busy machine the wall time also holds the time spent waiting for a core. Costs one {@code System.nanoTime()} and
 * one CPU-clock read per marker.
 *
 * <p>Load + attach used to end at the first BPF_OBJ_PIN, which put the map-id reads for the pin record and the
 * pin directory's creation into it; C does neither. Its figures under that boundary are kept as
 * {@code toFirstPin} so both can be printed.
 */
final class PhaseClock extends ForwardingSyscallBridge {
    /**
     * One apply's split, in wall milliseconds ({@code total} is the sum), the CPU milliseconds of its load + attach
     * and of the whole apply, and load + attach up to the first pin (the earlier boundary), wall and CPU.
     */
    record Phases(double translate, double verify, double loader, double attach, double pin, double loadAndAttachCpu,
            double totalCpu, double toFirstPin, double toFirstPinCpu) {
        double loadAndAttach() {
            return loader + attach;
        }

        double total() {
            return translate + verify + loader + attach + pin;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long start;
    private long translated;
    private long loaderStart;
    private long attachStart;
    private long attachEnd;
    private long pinStart;
    private long cpuStart;
    private long loaderCpuStart;
    private long attachCpuEnd;
    private long pinCpuStart;

    PhaseClock(SyscallBridge kernel) {
        super(kernel);
    }

    /** For the host's configuration: notes the end of each program's attach. */
    StepTimer stepTimer() {
        return this::stepEnded;
    }

    private void stepEnded(DeployStep step, Duration elapsed) {
        if (step == DeployStep.Attach) {
            attachEnd = System.nanoTime();
            attachCpuEnd = THREADS.getCurrentThreadCpuTime();
        }
    }

    /** Starts timing one apply, from the translation of the resource. */
    void start() {
        translated = 0;
        loaderStart = 0;
        attachStart = 0;
        attachEnd = 0;
        pinStart = 0;
        cpuStart = THREADS.getCurrentThreadCpuTime();
        start = System.nanoTime();
    }

    /** The resource is translated into the host's request; what follows is the host's apply. */
    void translated() {
        translated = System.nanoTime();
    }

    /** Ends the apply started last; fails if a phase never began (the apply did not run the whole path). */
    Phases stop() {
        long end = System.nanoTime();
        long cpuEnd = THREADS.getCurrentThreadCpuTime();
        if (translated == 0 || loaderStart == 0 || attachStart == 0 || attachEnd == 0 || pinStart == 0) {
            throw new IllegalStateException("the apply skipped a phase (translated " + translated + ", loader "
                    + loaderStart + ", attach " + attachStart + " to " + attachEnd + ", pin " + pinStart + ")");
        }
        return new Phases(millis(translated - start), millis(loaderStart - translated), millis(attachStart - loaderStart),
                millis(attachEnd - attachStart), millis(end - attachEnd), millis(attachCpuEnd - loaderCpuStart),
                millis(cpuEnd - cpuStart), millis(pinStart - loaderStart), millis(pinCpuStart - loaderCpuStart));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    @Override
    public Fd mapCreate(MapCreateRequest request) {
        if (loaderStart == 0) {
            loaderStart = System.nanoTime();
            loaderCpuStart = THREADS.getCurrentThreadCpuTime();
        }
        return super.mapCreate(request);
    }

    @Override
    public ProgInfo progInfo(Fd program) {
        if (attachStart == 0) {
            attachStart = System.nanoTime();
        }
        return super.progInfo(program);
    }

    @Override
    public void objPin(Fd object, Path path) {
        if (pinStart == 0) {
            pinCpuStart = THREADS.getCurrentThreadCpuTime();
            pinStart = System.nanoTime();
        }
        super.objPin(object, path);
    }
}
