package dev.sigil.bpf.kernel;

/**
 * Kinds of attach point the library can create a link for: the kernel probe answers for each, and each
 * has one {@code AttachTarget} record.
 */
public enum AttachKind {
    RawTracepoint,
    TpBtf,
    Xdp,
    Tcx,
    Cgroup,
    Fentry,
    Fexit,
    Lsm,
    Kprobe,
    /** A classic tracepoint, CATEGORY/NAME in tracefs, through a perf-event link. */
    Tracepoint,
    /** A uprobe on a function of a user-space binary, through a perf-event link (see also uprobe_multi). */
    Uprobe,
    Uretprobe,
    /** sk_lookup on a network namespace. */
    SkLookup
}
