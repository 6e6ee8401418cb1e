package dev.sigil.cli;

import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec.XdpMode;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.signing.AttachHint;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the {@code TYPE:TARGET} attach notation into the resource's {@link AttachSpec}, checking each
 * target against the same rules the CRD schema enforces, so mistakes surface at signing time:
 * <pre>
 * raw_tracepoint:NAME   tp_btf:NAME
 * xdp:IFACE[:generic|driver]   tcx:IFACE:ingress|egress
 * cgroup:/PATH:ATTACH (inet_ingress, inet_egress, inet_sock_create, sock_ops, device, sysctl,
 *                      inet4_connect, inet6_connect, inet4_bind, inet6_bind, getsockopt, setsockopt)
 * fentry:FUNC   fexit:FUNC   lsm:HOOK   kprobe:FUNC
 * </pre>
 */
final class AttachSpecs {
    private static final Pattern TRACEPOINT = Pattern.compile("[A-Za-z0-9_]{1,128}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");
    private static final Pattern FUNCTION = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,127}");

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
                yield AttachSpec.xdp(matching(INTERFACE, parts[0], "interface name"), mode);
            }
            case "tcx" -> {
                String[] parts = target.split(":", -1);
                if (parts.length != 2) {
                    throw new IllegalArgumentException("tcx target is IFACE:ingress|egress, got '" + target + "'");
                }
                yield AttachSpec.tcx(matching(INTERFACE, parts[0], "interface name"),
                        named(TcxDirection.values(), parts[1], "tcx direction"));
            }
            case "cgroup" -> {
                int colon = target.lastIndexOf(':');
                if (colon < 0 || !target.startsWith("/")) {
                    throw new IllegalArgumentException("cgroup target is /PATH:ATTACH_TYPE (e.g. /sys/fs/cgroup/web:inet_ingress), got '"
                            + target + "'");
                }
                yield AttachSpec.cgroup(target.substring(0, colon),
                        named(CgroupAttachType.values(), target.substring(colon + 1), "cgroup attach type"));
            }
            case "fentry" -> AttachSpec.function(AttachType.Fentry, matching(FUNCTION, target, "function name"));
            case "fexit" -> AttachSpec.function(AttachType.Fexit, matching(FUNCTION, target, "function name"));
            case "lsm" -> AttachSpec.function(AttachType.Lsm, matching(FUNCTION, target, "LSM hook name"));
            case "kprobe" -> AttachSpec.function(AttachType.Kprobe, matching(FUNCTION, target, "function name"));
            default -> throw new IllegalArgumentException("unknown attach type '" + hint.kind() + "'");
        };
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
