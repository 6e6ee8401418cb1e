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
    Kprobe
}
