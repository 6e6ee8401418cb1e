package dev.sigil.bench;

import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.ProgInfo;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.testing.ForwardingSyscallBridge;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

/**
 * Splits one real {@code apply} into its phases without touching the host: a pass-through bridge that
 * notes when the first call of each phase reaches the kernel. The host's order is fixed (verify, then the
 * loader protocol from its map create, then attach from the first program-info read, then pinning from
 * the first OBJ_PIN), so the phase boundaries are those first calls, and the phases add up to the whole
 * apply. Also reads the thread's CPU clock (user + system time) where load + attach starts and ends and at the
 * ends of the apply: on a busy machine the wall time also holds the time spent waiting for a core. Costs one
 * {@code System.nanoTime()} and one CPU-clock read per marker call.
 */
final class PhaseClock extends ForwardingSyscallBridge {
    /**
     * One apply's split, in wall milliseconds ({@code total} is the sum), and the CPU milliseconds of its
     * load + attach and of the whole apply.
     */
    record Phases(double verify, double loader, double attach, double pin, double loadAndAttachCpu, double totalCpu) {
        double loadAndAttach() {
            return loader + attach;
        }

        double total() {
            return verify + loader + attach + pin;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long start;
    private long loaderStart;
    private long attachStart;
    private long pinStart;
    private long cpuStart;
    private long loaderCpuStart;
    private long pinCpuStart;

    PhaseClock(SyscallBridge kernel) {
        super(kernel);
    }

    /** Starts timing one apply. */
    void start() {
        loaderStart = 0;
        attachStart = 0;
        pinStart = 0;
        cpuStart = THREADS.getCurrentThreadCpuTime();
        start = System.nanoTime();
    }

    /** Ends the apply started last; fails if a phase never began (the apply did not run the whole path). */
    Phases stop() {
        long end = System.nanoTime();
        long cpuEnd = THREADS.getCurrentThreadCpuTime();
        if (loaderStart == 0 || attachStart == 0 || pinStart == 0) {
            throw new IllegalStateException("the apply skipped a phase (loader " + loaderStart + ", attach "
                    + attachStart + ", pin " + pinStart + ")");
        }
        return new Phases(millis(loaderStart - start), millis(attachStart - loaderStart), millis(pinStart - attachStart),
                millis(end - pinStart), millis(pinCpuStart - loaderCpuStart), millis(cpuEnd - cpuStart));
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
