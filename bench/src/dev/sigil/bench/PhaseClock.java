package dev.sigil.bench;

import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.ProgInfo;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.testing.ForwardingSyscallBridge;
import java.nio.file.Path;

/**
 * Splits one real {@code apply} into its phases without touching the host: a pass-through bridge that
 * notes when the first call of each phase reaches the kernel. The host's order is fixed (verify, then the
 * loader protocol from its map create, then attach from the first program-info read, then pinning from
 * the first OBJ_PIN), so the phase boundaries are those first calls, and the phases add up to the whole
 * apply. Costs one {@code System.nanoTime()} per marker call.
 */
final class PhaseClock extends ForwardingSyscallBridge {
    /** One apply's split, in milliseconds; {@code total} is the sum. */
    record Phases(double verify, double loader, double attach, double pin) {
        double loadAndAttach() {
            return loader + attach;
        }

        double total() {
            return verify + loader + attach + pin;
        }
    }

    private long start;
    private long loaderStart;
    private long attachStart;
    private long pinStart;

    PhaseClock(SyscallBridge kernel) {
        super(kernel);
    }

    /** Starts timing one apply. */
    void start() {
        loaderStart = 0;
        attachStart = 0;
        pinStart = 0;
        start = System.nanoTime();
    }

    /** Ends the apply started last; fails if a phase never began (the apply did not run the whole path). */
    Phases stop() {
        long end = System.nanoTime();
        if (loaderStart == 0 || attachStart == 0 || pinStart == 0) {
            throw new IllegalStateException("the apply skipped a phase (loader " + loaderStart + ", attach "
                    + attachStart + ", pin " + pinStart + ")");
        }
        return new Phases(millis(loaderStart - start), millis(attachStart - loaderStart), millis(pinStart - attachStart),
                millis(end - pinStart));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    @Override
    public Fd mapCreate(MapCreateRequest request) {
        if (loaderStart == 0) {
            loaderStart = System.nanoTime();
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
            pinStart = System.nanoTime();
        }
        super.objPin(object, path);
    }
}
