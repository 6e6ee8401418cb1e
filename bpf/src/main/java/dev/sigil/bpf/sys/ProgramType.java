package dev.sigil.bpf.sys;

import java.util.Arrays;
import java.util.Optional;

/** The {@code enum bpf_prog_type} values the agent loads, probes or attaches. */
public enum ProgramType {
    KPROBE(2), SCHED_CLS(3), TRACEPOINT(5), XDP(6), CGROUP_SKB(8), CGROUP_SOCK(9), SOCK_OPS(13), CGROUP_DEVICE(15),
    RAW_TRACEPOINT(17), CGROUP_SOCK_ADDR(18), CGROUP_SYSCTL(23), CGROUP_SOCKOPT(25), TRACING(26), LSM(29),
    SK_LOOKUP(30), SYSCALL(31);

    private final int code;

    ProgramType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<ProgramType> of(int code) {
        return Arrays.stream(values()).filter(type -> type.code == code).findFirst();
    }

    /** {@code XDP}, or {@code type 27} for a program type this enum does not name. */
    public static String describe(int code) {
        return of(code).map(Enum::name).orElse("type " + code);
    }
}
