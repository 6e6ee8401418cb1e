package dev.sigil.bpf.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The FFM downcalls into libc: {@code syscall(2)} for bpf/add_key/keyctl, plus the few libc calls that
 * have no Java equivalent (close an fd number, open a directory fd, name-to-ifindex, mount, umount2, strerror).
 * Every call that can fail captures {@code errno} in the same downcall, before the JVM can clobber it.
 */
final class Native {

    /** A raw result: the C return value and, when it signals failure, the captured errno. */
    record Result(long value, int errno) {
        boolean failed() {
            return value < 0;
        }
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** {@code long syscall(long number, ...)}: six variadic longs, as many as any Linux call takes; unused ones are ignored. */
    private static final MethodHandle SYSCALL = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    /** {@code int open(const char *path, int flags, ...)}: the mode is variadic; 0 since the agent never creates files. */
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    private static final MethodHandle IF_NAMETOINDEX = downcall("if_nametoindex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle MOUNT = downcall("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle UMOUNT2 = downcall("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            CAPTURE_ERRNO);
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    static final int O_RDONLY = 0;
    static final int O_DIRECTORY = 0x10000;
    static final int O_CLOEXEC = 0x80000;
    /** umount2(2): detach now, release once no longer busy. */
    static final int MNT_DETACH = 2;

    private Native() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /**
     * Where each thread's downcalls capture errno. It is read right after the call on the same thread, so one
     * per thread suffices, instead of an arena opened and closed around every system call; an automatic
     * arena frees it once the thread is gone.
     */
    private static final ThreadLocal<MemorySegment> THREAD_CALL_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    /** One downcall that captures errno into {@code state}. */
    @FunctionalInterface
    private interface Downcall {
        long invoke(MemorySegment state) throws Throwable;
    }

    /** One downcall whose arguments need native memory, from {@code memory}, for the duration of the call. */
    @FunctionalInterface
    private interface DowncallWithArguments {
        long invoke(MemorySegment state, CallMemory memory) throws Throwable;
    }

    /** Runs a downcall with errno captured in the same call. */
    private static Result call(Downcall downcall) {
        try {
            MemorySegment state = THREAD_CALL_STATE.get();
            long value = downcall.invoke(state);
            return new Result(value, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Runs a downcall with the thread's call memory for its arguments. */
    private static Result callWithArguments(DowncallWithArguments downcall) {
        try (CallMemory memory = CallMemory.open()) {
            return call(state -> downcall.invoke(state, memory));
        }
    }

    /** Every bpf() command comes through here: called directly, with nothing allocated around the downcall. */
    static Result syscall(long number, long a1, long a2, long a3, long a4, long a5) {
        MemorySegment state = THREAD_CALL_STATE.get();
        long value;
        try {
            value = (long) SYSCALL.invokeExact(state, number, a1, a2, a3, a4, a5, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return new Result(value, (int) ERRNO.get(state, 0L));
    }

    static Result close(int fd) {
        return call(state -> (int) CLOSE.invokeExact(state, fd));
    }

    static Result open(String path, int flags) {
        return callWithArguments((state, memory) -> (int) OPEN.invokeExact(state, memory.string(path), flags, 0));
    }

    /** if_nametoindex returns 0 (not -1) on failure; mapped to -1 so {@link Result#failed()} holds. */
    static Result interfaceIndex(String name) {
        return callWithArguments((state, memory) -> {
            int index = (int) IF_NAMETOINDEX.invokeExact(state, memory.string(name));
            return index == 0 ? -1 : Integer.toUnsignedLong(index);
        });
    }

    static Result mount(String source, String target, String fsType) {
        return callWithArguments((state, memory) -> (int) MOUNT.invokeExact(state, memory.string(source),
                memory.string(target), memory.string(fsType), 0L, MemorySegment.NULL));
    }

    static Result unmount(String target) {
        return callWithArguments((state, memory) -> (int) UMOUNT2.invokeExact(state, memory.string(target), MNT_DETACH));
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("native call failed", t);
    }
}
