package dev.sigil.cli;

import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.AttachUnion;
import dev.sigil.crds.signedbpfprogram.spec.Cgroup;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.Tcx;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.UserFunction;
import dev.sigil.crds.signedbpfprogram.spec.Xdp;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.signing.AttachHint;
import dev.sigil.signing.intent.Glob;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code TYPE:TARGET} attach notation into the resource's {@link AttachSpec}, checking each
 * target against the same rules the CRD schema enforces, so mistakes surface at signing time:
 * <pre>
 * raw_tracepoint:NAME   tp_btf:NAME
 * xdp:IFACE[:generic|driver]   tcx:IFACE:ingress|egress
 *   IFACE: a name; a pattern with '*' or '?' (every matching interface of the node, e.g. veth*); or
 *   primary-interface (the node's, holding its default route; longer than any interface name can be)
 * cgroup:/PATH:ATTACH  or  cgroup:pods:SELECTOR[:namespaces:SELECTOR]:ATTACH (selectors as kubectl -l writes them)
 *                     (inet_ingress, inet_egress, inet_sock_create, sock_ops, device, sysctl,
 *                      inet4_connect, inet6_connect, inet4_bind, inet6_bind, getsockopt, setsockopt)
 * fentry:FUNC   fexit:FUNC   lsm:HOOK   kprobe:FUNC
 * tracepoint:CATEGORY/NAME
 * uprobe:/BINARY:SYMBOL[+OFFSET][:pid=PID]   uretprobe:/BINARY:SYMBOL[+OFFSET][:pid=PID]
 * sk_lookup:/NETNS_FILE
 * </pre>
 * OFFSET is decimal or 0x-prefixed hexadecimal.
 */
final class AttachSpecs {
    private static final Pattern TRACEPOINT = Pattern.compile("[A-Za-z0-9_]{1,128}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");
    private static final Pattern INTERFACE_PATTERN = Pattern.compile("[A-Za-z0-9_.:@*?-]{1,32}");
    static final String PRIMARY_INTERFACE = "primary-interface";
    private static final Pattern FUNCTION = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,127}");
    private static final Pattern NODE_PATH = Pattern.compile(AttachUnion.NODE_PATH);
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z_.$][A-Za-z0-9_.$@()*<>,~-]{0,255}");
    private static final Pattern PID_SUFFIX = Pattern.compile("(.*):pid=([0-9]{1,7})");
    private static final int MAX_PID = 1 << 22;
    private static final long MAX_OFFSET = 1 << 20;
    private static final Pattern OFFSET = Pattern.compile("0x[0-9a-fA-F]{1,6}|[0-9]{1,7}");

    private AttachSpecs() {
    }

    /** @throws IllegalArgumentException naming the part of the target that is wrong */
    static AttachSpec toSpec(AttachHint hint) {
        String target = hint.target();
        return switch (hint.kind()) {
            case "raw_tracepoint" -> AttachSpec.rawTracepoint(matching(TRACEPOINT, target, "tracepoint name"));
            case "tp_btf" -> AttachSpec.tpBtf(matching(TRACEPOINT, target, "tracepoint name"));
            case "xdp" -> {
                String[] parts = target.split(":", -1);
                if (parts.length > 2) {
                    throw new IllegalArgumentException("XDP target is IFACE[:generic|driver], got '" + target + "'");
                }
                XdpMode mode = parts.length == 1 ? XdpMode.Generic : named(XdpMode.values(), parts[1], "XDP mode");
                yield AttachSpec.xdp(networkInterface(parts[0], name -> new Xdp(name, mode),
                        () -> Xdp.onPrimaryInterface(mode), pattern -> Xdp.matching(pattern, mode)));
            }
            case "tcx" -> {
                String[] parts = target.split(":", -1);
                if (parts.length != 2) {
                    throw new IllegalArgumentException("tcx target is IFACE:ingress|egress, got '" + target + "'");
                }
                TcxDirection direction = named(TcxDirection.values(), parts[1], "tcx direction");
                yield AttachSpec.tcx(networkInterface(parts[0], name -> new Tcx(name, direction),
                        () -> Tcx.onPrimaryInterface(direction), pattern -> Tcx.matching(pattern, direction)));
            }
            case "cgroup" -> {
                int colon = target.lastIndexOf(':');
                if (colon > 0 && target.startsWith(SelectorNotation.PODS + ":")) {
                    yield Cgroup.onPods(SelectorNotation.podTarget(target.substring(0, colon)),
                            named(CgroupAttachType.values(), target.substring(colon + 1), "cgroup attach type"));
                }
                if (colon < 0 || !target.startsWith("/")) {
                    throw new IllegalArgumentException("cgroup target is /PATH:ATTACH_TYPE (e.g. /sys/fs/cgroup/web:inet_ingress) or "
                            + "pods:SELECTOR[:namespaces:SELECTOR]:ATTACH_TYPE, got '"
                            + target + "'");
                }
                yield AttachSpec.cgroup(target.substring(0, colon),
                        named(CgroupAttachType.values(), target.substring(colon + 1), "cgroup attach type"));
            }
            case "fentry" -> AttachSpec.function(AttachType.Fentry, matching(FUNCTION, target, "function name"));
            case "fexit" -> AttachSpec.function(AttachType.Fexit, matching(FUNCTION, target, "function name"));
            case "lsm" -> AttachSpec.function(AttachType.Lsm, matching(FUNCTION, target, "LSM hook name"));
            case "kprobe" -> AttachSpec.function(AttachType.Kprobe, matching(FUNCTION, target, "function name"));
            case "tracepoint" -> {
                int slash = target.indexOf('/');
                if (slash < 0) {
                    throw new IllegalArgumentException("tracepoint target is CATEGORY/NAME (e.g. syscalls/sys_enter_openat), got '"
                            + target + "'");
                }
                yield AttachSpec.tracepoint(matching(TRACEPOINT, target.substring(0, slash), "tracepoint category"),
                        matching(TRACEPOINT, target.substring(slash + 1), "tracepoint name"));
            }
            case "uprobe" -> AttachSpec.userFunction(AttachType.Uprobe, userFunction(target));
            case "uretprobe" -> AttachSpec.userFunction(AttachType.Uretprobe, userFunction(target));
            case "sk_lookup" -> AttachSpec.skLookup(matching(NODE_PATH, target, "network namespace file path"));
            default -> throw new IllegalArgumentException("unknown attach type '" + hint.kind() + "'");
        };
    }

    /** An XDP or tcx member on the named interface, the node's primary one, or those a pattern matches. */
    private static <T> T networkInterface(String networkInterface, Function<String, T> named, Supplier<T> primary,
            Function<String, T> pattern) {
        if (networkInterface.equals(PRIMARY_INTERFACE)) {
            return primary.get();
        }
        if (Glob.hasWildcard(networkInterface)) {
            return pattern.apply(matching(INTERFACE_PATTERN, networkInterface, "interface pattern"));
        }
        return named.apply(matching(INTERFACE, networkInterface, "interface name"));
    }

    /** {@code /BINARY:SYMBOL[+OFFSET][:pid=PID]}, the binary an absolute path as the schema requires. */
    static UserFunction userFunction(String target) {
        return userFunction(target, binary -> matching(NODE_PATH, binary, "binary path (absolute, no '.' or '..' segments)"));
    }

    /** The same notation with the binary checked by {@code binaryCheck} (a glob, for {@code --allow-attach}). */
    static UserFunction userFunction(String target, UnaryOperator<String> binaryCheck) {
        Integer pid = null;
        String rest = target;
        Matcher withPid = PID_SUFFIX.matcher(target);
        if (withPid.matches()) {
            rest = withPid.group(1);
            pid = Integer.valueOf(withPid.group(2));
            if (pid < 1 || pid > MAX_PID) {
                throw new IllegalArgumentException("pid " + pid + " is outside 1.." + MAX_PID);
            }
        }
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || !rest.startsWith("/")) {
            throw new IllegalArgumentException("uprobe target is /BINARY:SYMBOL[+OFFSET][:pid=PID] (e.g. "
                    + "/usr/bin/app:main+0x10), got '" + target + "'");
        }
        String function = rest.substring(colon + 1);
        int plus = function.lastIndexOf('+');
        Long offset = null;
        if (plus >= 0) {
            String text = matching(OFFSET, function.substring(plus + 1), "offset (decimal, or hexadecimal with 0x)");
            offset = text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            if (offset > MAX_OFFSET) {
                throw new IllegalArgumentException("offset " + offset + " is larger than " + MAX_OFFSET);
            }
            function = function.substring(0, plus);
        }
        return new UserFunction(binaryCheck.apply(rest.substring(0, colon)),
                matching(SYMBOL, function, "function symbol"), offset, pid);
    }

    private static String matching(Pattern pattern, String value, String what) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a valid " + what + " (" + pattern.pattern() + ")");
        }
        return value;
    }

    /** Accepts the enum constant in snake case or any case: inet_ingress, InetIngress, INGRESS. */
    static <E extends Enum<E>> E named(E[] values, String text, String what) {
        String wanted = text.replace("_", "").toLowerCase(Locale.ROOT);
        return Arrays.stream(values).filter(v -> v.name().toLowerCase(Locale.ROOT).equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a " + what + "; expected one of "
                        + Arrays.stream(values).map(v -> snakeCase(v.name())).toList()));
    }

    static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
