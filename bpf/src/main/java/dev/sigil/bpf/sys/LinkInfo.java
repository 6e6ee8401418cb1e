package dev.sigil.bpf.sys;

import java.util.Optional;

/**
 * What BPF_OBJ_GET_INFO_BY_FD says about a link. {@code target}: the interface index (XDP, tcx), cgroup
 * id (cgroup), network namespace inode (netns: sk_lookup) or BTF id (tracing) it is attached to; 0 where
 * the type names none (raw tracepoints, perf events, kprobe_multi, uprobe_multi).
 */
public record LinkInfo(int type, int id, int progId, long target) {

    public Optional<LinkType> linkType() {
        return LinkType.of(type);
    }

    /**
     * A link whose target the kernel has cleared: someone ran BPF_LINK_DETACH on it (or the interface,
     * cgroup or network namespace went away). It still exists but no longer runs its program. Perf-event,
     * raw tracepoint and uprobe_multi links cannot be detached (the kernel refuses BPF_LINK_DETACH on them).
     */
    public boolean detached() {
        return linkType().filter(t -> t == LinkType.XDP || t == LinkType.TCX || t == LinkType.CGROUP
                || t == LinkType.NETNS).isPresent() && target == 0;
    }
}
