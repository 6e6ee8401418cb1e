package dev.sigil.bpf.sys;

/**
 * BPF_PROG_LOAD as the kernel expects it to be called: the verifier gives up with EAGAIN when a signal
 * reaches the loading thread, and the load is simply made again (cilium/ebpf retries in its one bpf()
 * wrapper). Bounded here, so a thread that is signalled over and over fails with EAGAIN instead of
 * spinning. Every program the library loads goes through {@link #load}.
 */
public final class ProgLoadRetry {
    /** Loads in all before EAGAIN is the answer; a real interruption is rare, so this is far more than enough. */
    public static final int ATTEMPTS = 10;

    private ProgLoadRetry() {
    }

    public static Fd load(SyscallBridge bridge, ProgLoadRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return bridge.progLoad(request);
            } catch (ProgramLoadException e) {
                if (!e.is(Errno.EAGAIN) || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
