package dev.sigil.crds.signedbpfprogram.spec;

/**
 * The CEL rules of an attach union ({@code type} plus the one member of that name), shared by the resource's
 * attach points ({@link AttachSpec}) and the signed intent's ({@code AttachIntentSpec}).
 */
public final class AttachUnion {
    public static final String RAW_TRACEPOINT = "has(self.rawTracepoint) == (self.type == 'RawTracepoint')";
    public static final String RAW_TRACEPOINT_MESSAGE = "rawTracepoint must be set exactly when type is RawTracepoint";
    public static final String TP_BTF = "has(self.tpBtf) == (self.type == 'TpBtf')";
    public static final String TP_BTF_MESSAGE = "tpBtf must be set exactly when type is TpBtf";
    public static final String XDP = "has(self.xdp) == (self.type == 'Xdp')";
    public static final String XDP_MESSAGE = "xdp must be set exactly when type is Xdp";
    public static final String TCX = "has(self.tcx) == (self.type == 'Tcx')";
    public static final String TCX_MESSAGE = "tcx must be set exactly when type is Tcx";
    public static final String CGROUP = "has(self.cgroup) == (self.type == 'Cgroup')";
    public static final String CGROUP_MESSAGE = "cgroup must be set exactly when type is Cgroup";
    public static final String FENTRY = "has(self.fentry) == (self.type == 'Fentry')";
    public static final String FENTRY_MESSAGE = "fentry must be set exactly when type is Fentry";
    public static final String FEXIT = "has(self.fexit) == (self.type == 'Fexit')";
    public static final String FEXIT_MESSAGE = "fexit must be set exactly when type is Fexit";
    public static final String LSM = "has(self.lsm) == (self.type == 'Lsm')";
    public static final String LSM_MESSAGE = "lsm must be set exactly when type is Lsm";
    public static final String KPROBE = "has(self.kprobe) == (self.type == 'Kprobe')";
    public static final String KPROBE_MESSAGE = "kprobe must be set exactly when type is Kprobe";

    private AttachUnion() {
    }
}
