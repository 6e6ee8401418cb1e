package dev.sigil.bpf.sys;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * An owned file descriptor (map, program, link, directory). Closing is idempotent; reading the number
 * of a closed descriptor is a bug and throws, so a stale number can never reach the kernel.
 */
public final class Fd implements AutoCloseable {
    private final int number;
    private final IntConsumer closer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Fd(int number, IntConsumer closer) {
        if (number < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + number);
        }
        this.number = number;
        this.closer = closer;
    }

    /** Takes ownership of {@code number}; {@code closer} releases it exactly once. */
    public static Fd own(int number, IntConsumer closer) {
        return new Fd(number, closer);
    }

    static Fd ownNative(int number) {
        return new Fd(number, fd -> Native.close(fd));
    }

    public int number() {
        if (closed.get()) {
            throw new IllegalStateException("file descriptor " + number + " is already closed");
        }
        return number;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closer.accept(number);
        }
    }

    @Override
    public String toString() {
        return "fd " + number + (closed.get() ? " (closed)" : "");
    }
}
