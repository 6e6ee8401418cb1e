package dev.sigil.crds.signedbpfprogram.spec;

/** Kinds of attach point; each names the {@link AttachSpec} member that carries its target. */
public enum AttachType {
    RawTracepoint,
    TpBtf,
    Xdp,
    Tcx,
    Cgroup,
    Fentry,
    Fexit,
    Lsm,
    Kprobe,
    Tracepoint,
    Uprobe,
    Uretprobe,
    SkLookup
}
