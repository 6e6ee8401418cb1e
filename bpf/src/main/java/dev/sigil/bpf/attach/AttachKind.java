package dev.sigil.bpf.attach;

/** Kinds of attach point the library can create a link for; each is one {@link AttachTarget} record. */
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
