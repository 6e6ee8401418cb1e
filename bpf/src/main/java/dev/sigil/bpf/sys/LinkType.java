package dev.sigil.bpf.sys;

import java.util.Arrays;
import java.util.Optional;

/** The {@code enum bpf_link_type} values whose link info the agent reads. */
public enum LinkType {
    RAW_TRACEPOINT(1), TRACING(2), CGROUP(3), NETNS(5), XDP(6), PERF_EVENT(7), KPROBE_MULTI(8), TCX(11), UPROBE_MULTI(12);

    private final int code;

    LinkType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<LinkType> of(int code) {
        return Arrays.stream(values()).filter(type -> type.code == code).findFirst();
    }
}
