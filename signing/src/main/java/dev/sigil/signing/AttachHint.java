package dev.sigil.signing;

import java.util.Objects;
import java.util.Set;

/**
 * Where a program attaches, as a skeleton or a command line names it.
 *
 * @param kind   one of {@link #KINDS}
 * @param target the kind's target, e.g. a tracepoint name ({@code sys_enter}, or {@code syscalls/sys_enter_openat}
 *               for a classic tracepoint), an interface ({@code eth0} or {@code eth0:driver} for XDP,
 *               {@code eth0:ingress} for tcx), a cgroup ({@code /sys/fs/cgroup/x:inet_ingress}), a kernel
 *               function, a user-space function ({@code /usr/bin/app:main+0x10}) or a network namespace file
 */
public record AttachHint(String kind, String target) {
    public static final Set<String> KINDS =
            Set.of("raw_tracepoint", "tp_btf", "xdp", "tcx", "cgroup", "fentry", "fexit", "lsm", "kprobe", "tracepoint",
                    "uprobe", "uretprobe", "sk_lookup");

    public AttachHint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown attach kind '" + kind + "'; expected one of "
                    + String.join(", ", KINDS.stream().sorted().toList()));
        }
        if (target.isBlank()) {
            throw new IllegalArgumentException("attach kind " + kind + " needs a target");
        }
    }

    /**
     * Parses {@code kind:target}, e.g. {@code raw_tracepoint:sys_enter}, {@code xdp:eth0:driver},
     * {@code cgroup:/sys/fs/cgroup/x:inet_ingress}; the target is everything after the first colon.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static AttachHint parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("attach point '" + text + "' is not TYPE:TARGET (e.g. raw_tracepoint:sys_enter)");
        }
        return new AttachHint(text.substring(0, colon), text.substring(colon + 1));
    }

    /** {@code kind:target}, the form {@code sigil sign --attach} accepts. */
    @Override
    public String toString() {
        return kind + ":" + target;
    }
}
