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

    public static final String TRACEPOINT = "has(self.tracepoint) == (self.type == 'Tracepoint')";
    public static final String TRACEPOINT_MESSAGE = "tracepoint must be set exactly when type is Tracepoint";
    public static final String UPROBE = "has(self.uprobe) == (self.type == 'Uprobe')";
    public static final String UPROBE_MESSAGE = "uprobe must be set exactly when type is Uprobe";
    public static final String URETPROBE = "has(self.uretprobe) == (self.type == 'Uretprobe')";
    public static final String URETPROBE_MESSAGE = "uretprobe must be set exactly when type is Uretprobe";
    public static final String SK_LOOKUP = "has(self.skLookup) == (self.type == 'SkLookup')";
    public static final String SK_LOOKUP_MESSAGE = "skLookup must be set exactly when type is SkLookup";

    /** A cgroup member, resource or signed, names one cgroup path or a pod target. */
    public static final String ONE_CGROUP = "has(self.path) != has(self.pods)";
    public static final String ONE_CGROUP_MESSAGE = "exactly one of path or pods must be set";

    /** An XDP or tcx member names one interface, or asks for the node's primary one. */
    public static final String ONE_INTERFACE = "[has(self.interface), has(self.primaryInterface) && self.primaryInterface,"
            + " has(self.interfacePattern)].filter(set, set).size() == 1";
    public static final String ONE_INTERFACE_MESSAGE =
            "exactly one of interface, primaryInterface: true or interfacePattern must be set";

    /**
     * An absolute path on the node without '.' or '..' segments (RE2, as the API server's schema
     * validation runs it): what the resource names is the file the agent opens.
     */
    public static final String NODE_PATH = "^(/([^./][^/]*|\\.[^./][^/]*|\\.\\.[^/]+))+$";

    private AttachUnion() {
    }
}
