package dev.sigil.signing;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a signed loader asks the kernel for when it loads one program: the load attributes libbpf's
 * gen_loader keeps in the metadata ({@link GenLoaderMetadata}).
 *
 * @param name               the kernel's name for the program ({@code prog_name}: at most 15 characters)
 * @param type               {@code enum bpf_prog_type}
 * @param expectedAttachType {@code enum bpf_attach_type}; 0 also means "none given"
 * @param attachTarget       the BTF target the loader resolves before loading (tp_btf, fentry, fexit, lsm
 *                           and iterator programs), without libbpf's prefix: e.g. {@code sys_enter}
 */
public record ProgramLoad(String name, int type, int expectedAttachType, Optional<String> attachTarget) {
    /** Longest program name the kernel keeps ({@code BPF_OBJ_NAME_LEN} - 1); libbpf cuts a longer C name to it. */
    public static final int KERNEL_NAME_LENGTH = 15;

    public static final int TYPE_KPROBE = 2;
    public static final int TYPE_SCHED_CLS = 3;
    public static final int TYPE_TRACEPOINT = 5;
    public static final int TYPE_XDP = 6;
    public static final int TYPE_CGROUP_SKB = 8;
    public static final int TYPE_CGROUP_SOCK = 9;
    public static final int TYPE_SOCK_OPS = 13;
    public static final int TYPE_CGROUP_DEVICE = 15;
    public static final int TYPE_RAW_TRACEPOINT = 17;
    public static final int TYPE_CGROUP_SOCK_ADDR = 18;
    public static final int TYPE_CGROUP_SYSCTL = 23;
    public static final int TYPE_RAW_TRACEPOINT_WRITABLE = 24;
    public static final int TYPE_CGROUP_SOCKOPT = 25;
    public static final int TYPE_TRACING = 26;
    public static final int TYPE_LSM = 29;
    public static final int TYPE_SK_LOOKUP = 30;

    public static final int ATTACH_TRACE_RAW_TP = 23;
    public static final int ATTACH_TRACE_FENTRY = 24;
    public static final int ATTACH_TRACE_FEXIT = 25;
    public static final int ATTACH_LSM_MAC = 27;
    public static final int ATTACH_TRACE_ITER = 28;
    public static final int ATTACH_SK_LOOKUP = 36;
    public static final int ATTACH_XDP = 37;
    public static final int ATTACH_TRACE_KPROBE_MULTI = 42;
    public static final int ATTACH_LSM_CGROUP = 43;
    public static final int ATTACH_TRACE_UPROBE_MULTI = 48;

    private static final Map<Integer, String> TYPE_NAMES = Map.ofEntries(
            Map.entry(1, "socket_filter"), Map.entry(TYPE_KPROBE, "kprobe"), Map.entry(TYPE_SCHED_CLS, "sched_cls"),
            Map.entry(4, "sched_act"), Map.entry(TYPE_TRACEPOINT, "tracepoint"), Map.entry(TYPE_XDP, "xdp"),
            Map.entry(7, "perf_event"), Map.entry(TYPE_CGROUP_SKB, "cgroup_skb"),
            Map.entry(TYPE_CGROUP_SOCK, "cgroup_sock"), Map.entry(TYPE_SOCK_OPS, "sock_ops"),
            Map.entry(TYPE_CGROUP_DEVICE, "cgroup_device"), Map.entry(TYPE_RAW_TRACEPOINT, "raw_tracepoint"),
            Map.entry(TYPE_CGROUP_SOCK_ADDR, "cgroup_sock_addr"), Map.entry(TYPE_CGROUP_SYSCTL, "cgroup_sysctl"),
            Map.entry(TYPE_RAW_TRACEPOINT_WRITABLE, "raw_tracepoint_writable"),
            Map.entry(TYPE_CGROUP_SOCKOPT, "cgroup_sockopt"), Map.entry(TYPE_TRACING, "tracing"),
            Map.entry(28, "ext"), Map.entry(TYPE_LSM, "lsm"), Map.entry(TYPE_SK_LOOKUP, "sk_lookup"), Map.entry(31, "syscall"),
            Map.entry(32, "netfilter"));
    private static final Map<Integer, String> ATTACH_NAMES = Map.ofEntries(
            Map.entry(ATTACH_TRACE_RAW_TP, "tp_btf"), Map.entry(ATTACH_TRACE_FENTRY, "fentry"),
            Map.entry(ATTACH_TRACE_FEXIT, "fexit"), Map.entry(26, "fmod_ret"), Map.entry(ATTACH_LSM_MAC, "lsm"),
            Map.entry(ATTACH_TRACE_ITER, "iter"), Map.entry(ATTACH_SK_LOOKUP, "sk_lookup"), Map.entry(ATTACH_XDP, "xdp"),
            Map.entry(ATTACH_TRACE_KPROBE_MULTI, "kprobe_multi"), Map.entry(ATTACH_LSM_CGROUP, "lsm_cgroup"),
            Map.entry(46, "tcx_ingress"), Map.entry(47, "tcx_egress"), Map.entry(ATTACH_TRACE_UPROBE_MULTI, "uprobe_multi"));

    public ProgramLoad {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(attachTarget, "attachTarget");
    }

    /**
     * Whether this load is the program a resource names: the whole name, as the kernel keeps it. The kernel keeps at
     * most 15 characters, so a longer name is never this program's (never compared by its first 15 characters).
     */
    public boolean isNamed(String resourceName) {
        return name.equals(resourceName);
    }

    /**
     * Whether this is the load of the skeleton's program {@code function} (its C name): the loader passes that name
     * cut to {@value #KERNEL_NAME_LENGTH} characters, as libbpf does. A resource must then name the program by what
     * the kernel keeps ({@link #isNamed}).
     */
    public boolean isLoadOf(String function) {
        return name.equals(function.length() > KERNEL_NAME_LENGTH ? function.substring(0, KERNEL_NAME_LENGTH) : function);
    }

    /** {@code enum bpf_prog_type} by libbpf's name, e.g. {@code raw_tracepoint}. */
    public static String typeName(int type) {
        return TYPE_NAMES.getOrDefault(type, "type " + type);
    }

    /** {@code enum bpf_attach_type} by libbpf's section name; 0 (none given, or cgroup inet ingress) as {@code none}. */
    public static String attachTypeName(int attachType) {
        return attachType == 0 ? "none" : ATTACH_NAMES.getOrDefault(attachType, String.valueOf(attachType));
    }

    /** E.g. {@code tracing (tp_btf sys_enter)} or {@code raw_tracepoint}: what the loader makes, for messages. */
    public String describe() {
        String kind = TYPE_NAMES.getOrDefault(type, "type " + type);
        String attach = type == TYPE_TRACING || type == TYPE_LSM || type == TYPE_KPROBE && expectedAttachType != 0
                ? ATTACH_NAMES.getOrDefault(expectedAttachType, "attach type " + expectedAttachType) : "";
        String target = attachTarget.map(t -> (attach.isEmpty() ? "" : " ") + t).orElse("");
        return attach.isEmpty() && target.isEmpty() ? kind : kind + " (" + attach + target + ")";
    }

    /** The attach point a light skeleton's {@code skel_raw_tracepoint_open(NULL, fd)} means: the program's own BTF target. */
    public Optional<AttachHint> ownBtfAttach() {
        if (attachTarget.isEmpty()) {
            return Optional.empty();
        }
        String kind = switch (type) {
            case TYPE_TRACING -> switch (expectedAttachType) {
                case ATTACH_TRACE_RAW_TP -> "tp_btf";
                case ATTACH_TRACE_FENTRY -> "fentry";
                case ATTACH_TRACE_FEXIT -> "fexit";
                default -> null;
            };
            case TYPE_LSM -> expectedAttachType == ATTACH_LSM_MAC ? "lsm" : null;
            default -> null;
        };
        return Optional.ofNullable(kind).map(k -> new AttachHint(k, attachTarget.get()));
    }
}
