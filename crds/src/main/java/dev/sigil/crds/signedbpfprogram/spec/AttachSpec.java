package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where a program attaches: a discriminated union in the Kubernetes style, {@code type} plus the
 * one member of that name (e.g. {@code type: Xdp} with {@code xdp: {interface: eth0}}). A member names its
 * target on the node by value today (an interface, a cgroup path, a binary, a network namespace file); other
 * ways to name one (an interface pattern, the primary interface, a pod selector) are new fields of a member
 * or new members, leaving existing resources as they are.
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

    @JsonPropertyDescription("cgroup target: a cgroup v2 directory and attach type.")
    private Cgroup cgroup;

    @JsonPropertyDescription("fentry target: a kernel function.")
    private Function fentry;

    @JsonPropertyDescription("fexit target: a kernel function.")
    private Function fexit;

    @JsonPropertyDescription("LSM hook target: a security hook name (e.g. file_open).")
    private Function lsm;

    @JsonPropertyDescription("kprobe target: a kernel function.")
    private Function kprobe;

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
        AttachSpec spec = new AttachSpec();
        spec.type = AttachType.Xdp;
        spec.xdp = new Xdp(interfaceName, mode);
        return spec;
    }

    public static AttachSpec tcx(String interfaceName, TcxDirection direction) {
        AttachSpec spec = new AttachSpec();
        spec.type = AttachType.Tcx;
        spec.tcx = new Tcx(interfaceName, direction);
        return spec;
    }

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
        Function target = new Function(function);
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
            case Xdp -> xdp == null ? "(?)" : "(" + xdp.getInterfaceName() + ", " + xdp.getMode() + ")";
            case Tcx -> tcx == null ? "(?)" : "(" + tcx.getInterfaceName() + ", " + tcx.getDirection() + ")";
            case Cgroup -> cgroup == null ? "(?)" : "(" + cgroup.getPath() + ", " + cgroup.getAttachType() + ")";
            case Fentry -> "(" + function(fentry) + ")";
            case Fexit -> "(" + function(fexit) + ")";
            case Lsm -> "(" + function(lsm) + ")";
            case Kprobe -> "(" + function(kprobe) + ")";
            case Tracepoint -> tracepoint == null ? "(?)" : "(" + tracepoint.getCategory() + "/" + tracepoint.getName() + ")";
            case Uprobe -> "(" + userFunction(uprobe) + ")";
            case Uretprobe -> "(" + userFunction(uretprobe) + ")";
            case SkLookup -> "(" + (skLookup == null ? "?" : skLookup.getNetns()) + ")";
        };
    }

    private static String userFunction(UserFunction function) {
        return function == null ? "?" : function.describe();
    }

    private static String name(Tracepoint tracepoint) {
        return tracepoint == null ? "?" : tracepoint.getName();
    }

    private static String function(Function target) {
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

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Tracepoint {
        @Required
        @Size(min = 1, max = 128)
        @Pattern("^[A-Za-z0-9_]{1,128}$")
        @JsonPropertyDescription("Tracepoint name, e.g. sys_enter or sched_switch.")
        private String name;

        public Tracepoint() {
        }

        public Tracepoint(String name) {
            this.name = name;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Xdp {
        @Required
        @JsonProperty("interface")
        @Size(min = 1, max = 15)
        @Pattern("^[A-Za-z0-9_.:@-]{1,15}$")
        @JsonPropertyDescription("Network interface name on the node (at most 15 characters, as IFNAMSIZ allows).")
        private String interfaceName;

        @Default("Generic")
        @JsonPropertyDescription("Generic (skb mode, works on any interface) or Driver (native XDP; needs driver support).")
        private XdpMode mode = XdpMode.Generic;

        public Xdp() {
        }

        public Xdp(String interfaceName, XdpMode mode) {
            this.interfaceName = interfaceName;
            this.mode = mode;
        }

        @JsonProperty("interface")
        public String getInterfaceName() {
            return interfaceName;
        }

        @JsonProperty("interface")
        public void setInterfaceName(String interfaceName) {
            this.interfaceName = interfaceName;
        }

        public XdpMode getMode() {
            return mode;
        }

        public void setMode(XdpMode mode) {
            this.mode = mode;
        }
    }

    public enum XdpMode {
        Generic,
        Driver
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Tcx {
        @Required
        @JsonProperty("interface")
        @Size(min = 1, max = 15)
        @Pattern("^[A-Za-z0-9_.:@-]{1,15}$")
        @JsonPropertyDescription("Network interface name on the node.")
        private String interfaceName;

        @Required
        @JsonPropertyDescription("Ingress or Egress.")
        private TcxDirection direction;

        public Tcx() {
        }

        public Tcx(String interfaceName, TcxDirection direction) {
            this.interfaceName = interfaceName;
            this.direction = direction;
        }

        @JsonProperty("interface")
        public String getInterfaceName() {
            return interfaceName;
        }

        @JsonProperty("interface")
        public void setInterfaceName(String interfaceName) {
            this.interfaceName = interfaceName;
        }

        public TcxDirection getDirection() {
            return direction;
        }

        public void setDirection(TcxDirection direction) {
            this.direction = direction;
        }
    }

    public enum TcxDirection {
        Ingress,
        Egress
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Cgroup {
        @Required
        @Size(min = 1, max = 1024)
        @Pattern("^/")
        @JsonPropertyDescription("Absolute path of a cgroup v2 directory on the node, e.g. /sys/fs/cgroup/system.slice (at most 1024 characters).")
        private String path;

        @Required
        @JsonPropertyDescription("Cgroup attach type.")
        private CgroupAttachType attachType;

        public Cgroup() {
        }

        public Cgroup(String path, CgroupAttachType attachType) {
            this.path = path;
            this.attachType = attachType;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public CgroupAttachType getAttachType() {
            return attachType;
        }

        public void setAttachType(CgroupAttachType attachType) {
            this.attachType = attachType;
        }
    }

    /** The cgroup attach types Sigil supports; the agent maps each to its {@code enum bpf_attach_type} value. */
    public enum CgroupAttachType {
        InetIngress,
        InetEgress,
        InetSockCreate,
        SockOps,
        Device,
        Sysctl,
        Inet4Connect,
        Inet6Connect,
        Inet4Bind,
        Inet6Bind,
        GetSockopt,
        SetSockopt
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Function {
        @Required
        @Size(min = 1, max = 128)
        @Pattern("^[A-Za-z_][A-Za-z0-9_.]{0,127}$")
        @JsonPropertyDescription("Kernel function or LSM hook name.")
        private String function;

        public Function() {
        }

        public Function(String function) {
            this.function = function;
        }

        public String getFunction() {
            return function;
        }

        public void setFunction(String function) {
            this.function = function;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ClassicTracepoint {
        @Required
        @Size(min = 1, max = 128)
        @Pattern("^[A-Za-z0-9_]{1,128}$")
        @JsonPropertyDescription("Tracepoint category (tracefs events/ directory), e.g. syscalls or sched.")
        private String category;

        @Required
        @Size(min = 1, max = 128)
        @Pattern("^[A-Za-z0-9_]{1,128}$")
        @JsonPropertyDescription("Tracepoint name within the category, e.g. sys_enter_openat or sched_switch.")
        private String name;

        public ClassicTracepoint() {
        }

        public ClassicTracepoint(String category, String name) {
            this.category = category;
            this.name = name;
        }

        public String getCategory() {
            return category;
        }

        public void setCategory(String category) {
            this.category = category;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    /** A function of a user-space binary, for uprobes and uretprobes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class UserFunction {
        @Required
        @Size(min = 1, max = 1024)
        @Pattern(AttachUnion.NODE_PATH)
        @JsonPropertyDescription("Absolute path of the ELF binary or shared library on the node (no '.' or '..' segments), e.g. /usr/lib/x86_64-linux-gnu/libc.so.6.")
        private String binary;

        @Required
        @Size(min = 1, max = 256)
        @Pattern("^[A-Za-z_.$][A-Za-z0-9_.$@()*<>,~-]{0,255}$")
        @JsonPropertyDescription("Function symbol as the binary's .symtab or .dynsym names it (mangled for C++ and Rust), e.g. malloc.")
        private String symbol;

        @Min(0)
        @Max(1048576)
        @JsonPropertyDescription("Byte offset into the function (0, the entry, when absent; at most 1 MiB); must lie inside the function.")
        private Long offset;

        @Min(1)
        @Max(4194304)
        @JsonPropertyDescription("Only this process id fires the probe; absent: every process that runs the binary.")
        private Integer pid;

        public UserFunction() {
        }

        public UserFunction(String binary, String symbol, Long offset, Integer pid) {
            this.binary = binary;
            this.symbol = symbol;
            this.offset = offset;
            this.pid = pid;
        }

        /** E.g. {@code /usr/bin/app:main+0x10, pid 42}. */
        @JsonIgnore
        public String describe() {
            return binary + ":" + symbol + (offset == null || offset == 0 ? "" : "+0x" + Long.toHexString(offset))
                    + (pid == null ? "" : ", pid " + pid);
        }

        public String getBinary() {
            return binary;
        }

        public void setBinary(String binary) {
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
    public static class SkLookup {
        @Required
        @Size(min = 1, max = 1024)
        @Pattern(AttachUnion.NODE_PATH)
        @JsonPropertyDescription("Absolute path of a file that holds the network namespace on the node, e.g. /var/run/netns/NAME or /proc/PID/ns/net.")
        private String netns;

        public SkLookup() {
        }

        public SkLookup(String netns) {
            this.netns = netns;
        }

        public String getNetns() {
            return netns;
        }

        public void setNetns(String netns) {
            this.netns = netns;
        }
    }
}
