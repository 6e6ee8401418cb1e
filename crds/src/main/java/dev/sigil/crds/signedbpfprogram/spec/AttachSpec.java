package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where a program attaches: a discriminated union in the Kubernetes style, {@code type} plus the
 * one member of that name (e.g. {@code type: Xdp} with {@code xdp: {interface: eth0}}). A member names its
 * target on the node by value (an interface, a cgroup path, a binary, a network namespace file) or, for XDP and
 * tcx, as the node's primary interface; other ways are new fields of a member, leaving existing resources be.
 */
@ValidationRule(value = AttachUnion.RAW_TRACEPOINT, message = AttachUnion.RAW_TRACEPOINT_MESSAGE)
@ValidationRule(value = AttachUnion.TP_BTF, message = AttachUnion.TP_BTF_MESSAGE)
@ValidationRule(value = AttachUnion.XDP, message = AttachUnion.XDP_MESSAGE)
@ValidationRule(value = AttachUnion.TCX, message = AttachUnion.TCX_MESSAGE)
@ValidationRule(value = AttachUnion.CGROUP, message = AttachUnion.CGROUP_MESSAGE)
@ValidationRule(value = AttachUnion.FENTRY, message = AttachUnion.FENTRY_MESSAGE)
@ValidationRule(value = AttachUnion.FEXIT, message = AttachUnion.FEXIT_MESSAGE)
@ValidationRule(value = AttachUnion.LSM, message = AttachUnion.LSM_MESSAGE)
@ValidationRule(value = AttachUnion.KPROBE, message = AttachUnion.KPROBE_MESSAGE)
@ValidationRule(value = AttachUnion.TRACEPOINT, message = AttachUnion.TRACEPOINT_MESSAGE)
@ValidationRule(value = AttachUnion.UPROBE, message = AttachUnion.UPROBE_MESSAGE)
@ValidationRule(value = AttachUnion.URETPROBE, message = AttachUnion.URETPROBE_MESSAGE)
@ValidationRule(value = AttachUnion.SK_LOOKUP, message = AttachUnion.SK_LOOKUP_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttachSpec {
    @Required
    @JsonPropertyDescription("Kind of attach point; the member of the same name (lower camel case) holds its target.")
    private AttachType type;

    @JsonPropertyDescription("Raw tracepoint target (BPF_RAW_TRACEPOINT_OPEN).")
    private Tracepoint rawTracepoint;

    @JsonPropertyDescription("BTF-enabled tracepoint target (tp_btf).")
    private Tracepoint tpBtf;

    @JsonPropertyDescription("XDP target: a network interface.")
    private Xdp xdp;

    @JsonPropertyDescription("tcx target: a network interface and direction.")
    private Tcx tcx;

    @JsonPropertyDescription("cgroup target: a cgroup v2 directory, or the pods on the node matching a selector, and attach type.")
    private Cgroup cgroup;

    @JsonPropertyDescription("fentry target: a kernel function.")
    private KernelFunction fentry;

    @JsonPropertyDescription("fexit target: a kernel function.")
    private KernelFunction fexit;

    @JsonPropertyDescription("LSM hook target: a security hook name (e.g. file_open).")
    private KernelFunction lsm;

    @JsonPropertyDescription("kprobe target: a kernel function.")
    private KernelFunction kprobe;

    @JsonPropertyDescription("Classic tracepoint target (tracefs events/CATEGORY/NAME), linked through a perf event; the program must be a tracepoint program.")
    private ClassicTracepoint tracepoint;

    @JsonPropertyDescription("uprobe target: a function of a user-space binary on the node, probed on entry (plus an offset).")
    private UserFunction uprobe;

    @JsonPropertyDescription("uretprobe target: a function of a user-space binary on the node, probed on return.")
    private UserFunction uretprobe;

    @JsonPropertyDescription("sk_lookup target: a network namespace on the node, by a file that holds it.")
    private SkLookup skLookup;

    public static AttachSpec rawTracepoint(String name) {
        AttachSpec spec = new AttachSpec();
        spec.type = AttachType.RawTracepoint;
        spec.rawTracepoint = new Tracepoint(name);
        return spec;
    }

    public static AttachSpec tpBtf(String name) {
        AttachSpec spec = new AttachSpec();
        spec.type = AttachType.TpBtf;
        spec.tpBtf = new Tracepoint(name);
        return spec;
    }

    public static AttachSpec xdp(String interfaceName, XdpMode mode) {
        return xdp(new Xdp(interfaceName, mode));
    }

    public static AttachSpec xdp(Xdp target) {
        AttachSpec spec = new AttachSpec();
        spec.type = AttachType.Xdp;
        spec.xdp = target;
        return spec;
    }

    public static AttachSpec tcx(String interfaceName, TcxDirection direction) {
        return tcx(new Tcx(interfaceName, direction));
    }

    public static AttachSpec tcx(Tcx target) {
        AttachSpec spec = new AttachSpec();
        spec.type = AttachType.Tcx;
        spec.tcx = target;
        return spec;
    }

    /** A cgroup target: a path, or, with a null path, the pods set later on the member ({@link Cgroup#setPods}). */
    public static AttachSpec cgroup(String path, CgroupAttachType attachType) {
        AttachSpec spec = new AttachSpec();
        spec.type = AttachType.Cgroup;
        spec.cgroup = new Cgroup(path, attachType);
        return spec;
    }

    public static AttachSpec tracepoint(String category, String name) {
        AttachSpec spec = new AttachSpec();
        spec.type = AttachType.Tracepoint;
        spec.tracepoint = new ClassicTracepoint(category, name);
        return spec;
    }

    /** For the two user-space function kinds: Uprobe and Uretprobe. */
    public static AttachSpec userFunction(AttachType type, UserFunction function) {
        AttachSpec spec = new AttachSpec();
        spec.type = type;
        switch (type) {
            case Uprobe -> spec.uprobe = function;
            case Uretprobe -> spec.uretprobe = function;
            default -> throw new IllegalArgumentException(type + " does not attach to a user-space function");
        }
        return spec;
    }

    public static AttachSpec skLookup(String netns) {
        AttachSpec spec = new AttachSpec();
        spec.type = AttachType.SkLookup;
        spec.skLookup = new SkLookup(netns);
        return spec;
    }

    /** For the function-based kinds: Fentry, Fexit, Lsm, Kprobe. */
    public static AttachSpec function(AttachType type, String function) {
        AttachSpec spec = new AttachSpec();
        spec.type = type;
        KernelFunction target = new KernelFunction(function);
        switch (type) {
            case Fentry -> spec.fentry = target;
            case Fexit -> spec.fexit = target;
            case Lsm -> spec.lsm = target;
            case Kprobe -> spec.kprobe = target;
            default -> throw new IllegalArgumentException(type + " does not attach to a function");
        }
        return spec;
    }

    /** The target in words, e.g. {@code Xdp(eth0, Generic)}, for status tables and logs. */
    @JsonIgnore
    public String describe() {
        if (type == null) {
            return "(no attach type)";
        }
        return type + switch (type) {
            case RawTracepoint -> "(" + name(rawTracepoint) + ")";
            case TpBtf -> "(" + name(tpBtf) + ")";
            case Xdp -> xdp == null ? "(?)" : "(" + xdp.describeInterface() + ", " + xdp.getMode() + ")";
            case Tcx -> tcx == null ? "(?)" : "(" + tcx.describeInterface() + ", " + tcx.getDirection() + ")";
            case Cgroup -> cgroup == null ? "(?)" : "(" + cgroup.describeTarget() + ", " + cgroup.getAttachType() + ")";
            case Fentry -> "(" + function(fentry) + ")";
            case Fexit -> "(" + function(fexit) + ")";
            case Lsm -> "(" + function(lsm) + ")";
            case Kprobe -> "(" + function(kprobe) + ")";
            case Tracepoint -> tracepoint == null ? "(?)" : "(" + tracepoint.getCategory() + "/" + tracepoint.getName() + ")";
            case Uprobe -> "(" + (uprobe == null ? "?" : uprobe.describe()) + ")";
            case Uretprobe -> "(" + (uretprobe == null ? "?" : uretprobe.describe()) + ")";
            case SkLookup -> "(" + (skLookup == null ? "?" : skLookup.getNetns()) + ")";
        };
    }

    private static String name(Tracepoint tracepoint) {
        return tracepoint == null ? "?" : tracepoint.getName();
    }

    private static String function(KernelFunction target) {
        return target == null ? "?" : target.getFunction();
    }

    public AttachType getType() {
        return type;
    }

    public void setType(AttachType type) {
        this.type = type;
    }

    public Tracepoint getRawTracepoint() {
        return rawTracepoint;
    }

    public void setRawTracepoint(Tracepoint rawTracepoint) {
        this.rawTracepoint = rawTracepoint;
    }

    public Tracepoint getTpBtf() {
        return tpBtf;
    }

    public void setTpBtf(Tracepoint tpBtf) {
        this.tpBtf = tpBtf;
    }

    public Xdp getXdp() {
        return xdp;
    }

    public void setXdp(Xdp xdp) {
        this.xdp = xdp;
    }

    public Tcx getTcx() {
        return tcx;
    }

    public void setTcx(Tcx tcx) {
        this.tcx = tcx;
    }

    public Cgroup getCgroup() {
        return cgroup;
    }

    public void setCgroup(Cgroup cgroup) {
        this.cgroup = cgroup;
    }

    public KernelFunction getFentry() {
        return fentry;
    }

    public void setFentry(KernelFunction fentry) {
        this.fentry = fentry;
    }

    public KernelFunction getFexit() {
        return fexit;
    }

    public void setFexit(KernelFunction fexit) {
        this.fexit = fexit;
    }

    public KernelFunction getLsm() {
        return lsm;
    }

    public void setLsm(KernelFunction lsm) {
        this.lsm = lsm;
    }

    public KernelFunction getKprobe() {
        return kprobe;
    }

    public void setKprobe(KernelFunction kprobe) {
        this.kprobe = kprobe;
    }

    public ClassicTracepoint getTracepoint() {
        return tracepoint;
    }

    public void setTracepoint(ClassicTracepoint tracepoint) {
        this.tracepoint = tracepoint;
    }

    public UserFunction getUprobe() {
        return uprobe;
    }

    public void setUprobe(UserFunction uprobe) {
        this.uprobe = uprobe;
    }

    public UserFunction getUretprobe() {
        return uretprobe;
    }

    public void setUretprobe(UserFunction uretprobe) {
        this.uretprobe = uretprobe;
    }

    public SkLookup getSkLookup() {
        return skLookup;
    }

    public void setSkLookup(SkLookup skLookup) {
        this.skLookup = skLookup;
    }
}
