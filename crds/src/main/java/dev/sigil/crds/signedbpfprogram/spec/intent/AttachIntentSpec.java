package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec.ClassicTracepoint;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec.Function;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec.Tracepoint;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec.XdpMode;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.AttachUnion;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
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
    private Function fentry;

    @JsonPropertyDescription("fexit target, bound exactly.")
    private Function fexit;

    @JsonPropertyDescription("LSM hook, bound exactly.")
    private Function lsm;

    @JsonPropertyDescription("kprobe target, bound exactly.")
    private Function kprobe;

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

    public Function getFentry() {
        return fentry;
    }

    public void setFentry(Function fentry) {
        this.fentry = fentry;
    }

    public Function getFexit() {
        return fexit;
    }

    public void setFexit(Function fexit) {
        this.fexit = fexit;
    }

    public Function getLsm() {
        return lsm;
    }

    public void setLsm(Function lsm) {
        this.lsm = lsm;
    }

    public Function getKprobe() {
        return kprobe;
    }

    public void setKprobe(Function kprobe) {
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

    /** XDP binding: no schema default for the mode, so what is stored is what was signed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class XdpIntent {
        @Required
        @JsonProperty("interface")
        @JsonPropertyDescription("The network interface: exact name or glob.")
        private TargetConstraint interfaceName;

        @Required
        @JsonPropertyDescription("Generic or Driver, bound exactly.")
        private XdpMode mode;

        public XdpIntent() {
        }

        public XdpIntent(TargetConstraint interfaceName, XdpMode mode) {
            this.interfaceName = interfaceName;
            this.mode = mode;
        }

        @JsonProperty("interface")
        public TargetConstraint getInterfaceName() {
            return interfaceName;
        }

        @JsonProperty("interface")
        public void setInterfaceName(TargetConstraint interfaceName) {
            this.interfaceName = interfaceName;
        }

        public XdpMode getMode() {
            return mode;
        }

        public void setMode(XdpMode mode) {
            this.mode = mode;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TcxIntent {
        @Required
        @JsonProperty("interface")
        @JsonPropertyDescription("The network interface: exact name or glob.")
        private TargetConstraint interfaceName;

        @Required
        @JsonPropertyDescription("Ingress or Egress, bound exactly.")
        private TcxDirection direction;

        public TcxIntent() {
        }

        public TcxIntent(TargetConstraint interfaceName, TcxDirection direction) {
            this.interfaceName = interfaceName;
            this.direction = direction;
        }

        @JsonProperty("interface")
        public TargetConstraint getInterfaceName() {
            return interfaceName;
        }

        @JsonProperty("interface")
        public void setInterfaceName(TargetConstraint interfaceName) {
            this.interfaceName = interfaceName;
        }

        public TcxDirection getDirection() {
            return direction;
        }

        public void setDirection(TcxDirection direction) {
            this.direction = direction;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class CgroupIntent {
        @Required
        @JsonPropertyDescription("The cgroup v2 directory: exact path or glob.")
        private TargetConstraint path;

        @Required
        @JsonPropertyDescription("Cgroup attach type, bound exactly.")
        private CgroupAttachType attachType;

        public CgroupIntent() {
        }

        public CgroupIntent(TargetConstraint path, CgroupAttachType attachType) {
            this.path = path;
            this.attachType = attachType;
        }

        public TargetConstraint getPath() {
            return path;
        }

        public void setPath(TargetConstraint path) {
            this.path = path;
        }

        public CgroupAttachType getAttachType() {
            return attachType;
        }

        public void setAttachType(CgroupAttachType attachType) {
            this.attachType = attachType;
        }
    }

    /** uprobe and uretprobe binding: no schema defaults, so what is stored is what was signed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class UserFunctionIntent {
        @Required
        @JsonPropertyDescription("The binary: exact path or glob.")
        private TargetConstraint binary;

        @Required
        @Size(min = 1, max = 256)
        @Pattern("^[A-Za-z_.$][A-Za-z0-9_.$@()*<>,~-]{0,255}$")
        @JsonPropertyDescription("Function symbol, bound exactly.")
        private String symbol;

        @Required
        @Min(0)
        @Max(1048576)
        @JsonPropertyDescription("Byte offset into the function, bound exactly (0: the entry).")
        private Long offset;

        @Min(1)
        @Max(4194304)
        @JsonPropertyDescription("Process id filter, bound exactly; absent: the resource may not filter by process.")
        private Integer pid;

        public UserFunctionIntent() {
        }

        public UserFunctionIntent(TargetConstraint binary, String symbol, Long offset, Integer pid) {
            this.binary = binary;
            this.symbol = symbol;
            this.offset = offset;
            this.pid = pid;
        }

        public TargetConstraint getBinary() {
            return binary;
        }

        public void setBinary(TargetConstraint binary) {
            this.binary = binary;
        }

        public String getSymbol() {
            return symbol;
        }

        public void setSymbol(String symbol) {
            this.symbol = symbol;
        }

        public Long getOffset() {
            return offset;
        }

        public void setOffset(Long offset) {
            this.offset = offset;
        }

        public Integer getPid() {
            return pid;
        }

        public void setPid(Integer pid) {
            this.pid = pid;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SkLookupIntent {
        @Required
        @JsonPropertyDescription("The network namespace file: exact path or glob.")
        private TargetConstraint netns;

        public SkLookupIntent() {
        }

        public SkLookupIntent(TargetConstraint netns) {
            this.netns = netns;
        }

        public TargetConstraint getNetns() {
            return netns;
        }

        public void setNetns(TargetConstraint netns) {
            this.netns = netns;
        }
    }
}
