package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.AttachUnion;
import dev.sigil.crds.signedbpfprogram.spec.ClassicTracepoint;
import dev.sigil.crds.signedbpfprogram.spec.KernelFunction;
import dev.sigil.crds.signedbpfprogram.spec.Tracepoint;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where a signed intent lets a program attach: the resource's attach union ({@code AttachSpec}) with the
 * targets that legitimately differ between clusters or nodes (XDP and tcx interfaces, cgroup paths, uprobe
 * binaries, sk_lookup network namespaces) bound by a {@link TargetConstraint}; every other field binds exactly. A future attach kind is a new type with
 * a new member: documents of the existing kinds keep their signed bytes.
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
public class AttachIntentSpec {
    @Required
    @JsonPropertyDescription("Kind of attach point; the member of the same name (lower camel case) holds its binding.")
    private AttachType type;

    @JsonPropertyDescription("Raw tracepoint, bound exactly.")
    private Tracepoint rawTracepoint;

    @JsonPropertyDescription("BTF-enabled tracepoint, bound exactly; it must be the program's own BTF target.")
    private Tracepoint tpBtf;

    @JsonPropertyDescription("XDP: the interface (exact or glob) and the mode (exact).")
    private XdpIntent xdp;

    @JsonPropertyDescription("tcx: the interface (exact or glob) and the direction (exact).")
    private TcxIntent tcx;

    @JsonPropertyDescription("cgroup: the cgroup v2 path (exact or glob) and the attach type (exact).")
    private CgroupIntent cgroup;

    @JsonPropertyDescription("fentry target, bound exactly.")
    private KernelFunction fentry;

    @JsonPropertyDescription("fexit target, bound exactly.")
    private KernelFunction fexit;

    @JsonPropertyDescription("LSM hook, bound exactly.")
    private KernelFunction lsm;

    @JsonPropertyDescription("kprobe target, bound exactly.")
    private KernelFunction kprobe;

    @JsonPropertyDescription("Classic tracepoint, category and name bound exactly.")
    private ClassicTracepoint tracepoint;

    @JsonPropertyDescription("uprobe: the binary (exact or glob); symbol, offset and pid exactly.")
    private UserFunctionIntent uprobe;

    @JsonPropertyDescription("uretprobe: the binary (exact or glob); symbol, offset and pid exactly.")
    private UserFunctionIntent uretprobe;

    @JsonPropertyDescription("sk_lookup: the network namespace file (exact or glob).")
    private SkLookupIntent skLookup;

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

    public XdpIntent getXdp() {
        return xdp;
    }

    public void setXdp(XdpIntent xdp) {
        this.xdp = xdp;
    }

    public TcxIntent getTcx() {
        return tcx;
    }

    public void setTcx(TcxIntent tcx) {
        this.tcx = tcx;
    }

    public CgroupIntent getCgroup() {
        return cgroup;
    }

    public void setCgroup(CgroupIntent cgroup) {
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

    public UserFunctionIntent getUprobe() {
        return uprobe;
    }

    public void setUprobe(UserFunctionIntent uprobe) {
        this.uprobe = uprobe;
    }

    public UserFunctionIntent getUretprobe() {
        return uretprobe;
    }

    public void setUretprobe(UserFunctionIntent uretprobe) {
        this.uretprobe = uretprobe;
    }

    public SkLookupIntent getSkLookup() {
        return skLookup;
    }

    public void setSkLookup(SkLookupIntent skLookup) {
        this.skLookup = skLookup;
    }
}
