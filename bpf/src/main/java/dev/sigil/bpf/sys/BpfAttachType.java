package dev.sigil.bpf.sys;

/** The {@code enum bpf_attach_type} values the agent attaches with. */
public enum BpfAttachType {
    CGROUP_INET_INGRESS(0), CGROUP_INET_EGRESS(1), CGROUP_INET_SOCK_CREATE(2), CGROUP_SOCK_OPS(3), CGROUP_DEVICE(6),
    CGROUP_INET4_BIND(8), CGROUP_INET6_BIND(9), CGROUP_INET4_CONNECT(10), CGROUP_INET6_CONNECT(11),
    CGROUP_SYSCTL(18), CGROUP_GETSOCKOPT(21), CGROUP_SETSOCKOPT(22), TRACE_RAW_TP(23), TRACE_FENTRY(24),
    TRACE_FEXIT(25), LSM_MAC(27), SK_LOOKUP(36), XDP(37), PERF_EVENT(41), TRACE_KPROBE_MULTI(42), TCX_INGRESS(46),
    TCX_EGRESS(47), TRACE_UPROBE_MULTI(48);

    private final int code;

    BpfAttachType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
