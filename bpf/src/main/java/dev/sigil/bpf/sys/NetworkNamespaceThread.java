package dev.sigil.bpf.sys;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * A platform thread of its own inside another network namespace. unshare(2) and setns(2) move only the
 * calling thread, so work that must see another namespace's interfaces (a probe on a private loopback,
 * attaching by interface name inside a namespace) runs here while every other thread of the agent stays
 * in the node's namespace. A namespace lives as long as any thread is in it: closing ends the thread.
 */
public final class NetworkNamespaceThread implements AutoCloseable {
    private final ExecutorService executor;
    /** The executor's one worker; joined on close because executor termination precedes the thread's exit. */
    private volatile Thread worker;

    private NetworkNamespaceThread(String threadName, Runnable enter) {
        ThreadFactory platform = Thread.ofPlatform().name(threadName).factory();
        executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = platform.newThread(task);
            worker = thread;
            return thread;
        });
        try {
            call(() -> {
                enter.run();
                return null;
            });
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** A fresh namespace holding only a loopback device; it disappears with the thread. */
    public static NetworkNamespaceThread isolated(SyscallBridge bridge, String threadName) {
        return new NetworkNamespaceThread(threadName, bridge::unshareNetworkNamespace);
    }

    /** The existing namespace bound at {@code namespace}, e.g. {@code /var/run/netns/NAME}. */
    public static NetworkNamespaceThread entering(SyscallBridge bridge, Path namespace, String threadName) {
        return new NetworkNamespaceThread(threadName, () -> bridge.enterNetworkNamespace(namespace));
    }

    /**
     * Runs {@code task} on the namespace's thread; what it throws is rethrown here as it was thrown there.
     * The task's future captures whatever it throws, so the one thread never dies and is never replaced
     * by a new thread, which would start outside the namespace.
     */
    public <T> T call(Supplier<T> task) {
        try {
            return executor.submit(task::get).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the network namespace thread", e);
        }
    }

    /** Ends the thread and waits for it, so the namespace no longer has this process in it. */
    @Override
    public void close() {
        executor.close();
        Thread thread = worker;
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
