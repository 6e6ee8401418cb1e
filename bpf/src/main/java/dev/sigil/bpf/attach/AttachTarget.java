package dev.sigil.bpf.attach;

import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.Tracefs;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one program attaches: one record per {@link AttachKind}, each holding exactly what that kind's
 * link needs. The library's own type: the agent translates the API's attach spec into it.
 */
public sealed interface AttachTarget {

    /** A raw tracepoint by name (BPF_RAW_TRACEPOINT_OPEN), e.g. {@code sys_enter}. */
    record RawTracepoint(String name) implements AttachTarget {
        public RawTracepoint {
            requireName(name, "tracepoint");
        }
    }

    /** A BTF-typed tracepoint; the program's load already fixed which one, so the name is for people. */
    record TpBtf(String name) implements AttachTarget {
        public TpBtf {
            requireName(name, "tracepoint");
        }
    }

    record Xdp(String interfaceName, Mode mode) implements AttachTarget {
        /** Generic: skb mode, works on any interface. Driver: native XDP, needs driver support. */
        public enum Mode { Generic, Driver }

        public Xdp {
            requireName(interfaceName, "interface");
            Objects.requireNonNull(mode, "mode");
        }
    }

    record Tcx(String interfaceName, Direction direction) implements AttachTarget {
        public enum Direction { Ingress, Egress }

        public Tcx {
            requireName(interfaceName, "interface");
            Objects.requireNonNull(direction, "direction");
        }
    }

    /** A cgroup v2 directory and the hook inside it. */
    record Cgroup(Path path, CgroupAttach attachType) implements AttachTarget {
        public Cgroup {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(attachType, "attachType");
        }
    }

    record Fentry(String function) implements AttachTarget {
        public Fentry {
            requireName(function, "function");
        }
    }

    record Fexit(String function) implements AttachTarget {
        public Fexit {
            requireName(function, "function");
        }
    }

    /** An LSM hook, e.g. {@code file_open}. */
    record Lsm(String hook) implements AttachTarget {
        public Lsm {
            requireName(hook, "hook");
        }
    }

    /** A kprobe_multi link on one kernel function. */
    record Kprobe(String function) implements AttachTarget {
        public Kprobe {
            requireName(function, "function");
        }
    }

    /** A classic tracepoint, tracefs's {@code events/CATEGORY/NAME}, through a perf-event link. */
    record Tracepoint(String category, String name) implements AttachTarget {
        public Tracepoint {
            requireTracefsName(category, "category");
            requireTracefsName(name, "name");
        }
    }

    /** A uprobe at a function of a user-space binary (a perf-event link, or uprobe_multi where the program was loaded for it). */
    record Uprobe(UserFunction function) implements AttachTarget {
        public Uprobe {
            Objects.requireNonNull(function, "function");
        }
    }

    /** A uretprobe: when that function returns. */
    record Uretprobe(UserFunction function) implements AttachTarget {
        public Uretprobe {
            Objects.requireNonNull(function, "function");
        }
    }

    /** sk_lookup on a network namespace, named by a file that holds it ({@code /var/run/netns/NAME}, {@code /proc/PID/ns/net}). */
    record SkLookup(Path namespace) implements AttachTarget {
        public SkLookup {
            requireAbsolute(namespace, "network namespace");
        }
    }

    default AttachKind kind() {
        return switch (this) {
            case RawTracepoint target -> AttachKind.RawTracepoint;
            case TpBtf target -> AttachKind.TpBtf;
            case Xdp target -> AttachKind.Xdp;
            case Tcx target -> AttachKind.Tcx;
            case Cgroup target -> AttachKind.Cgroup;
            case Fentry target -> AttachKind.Fentry;
            case Fexit target -> AttachKind.Fexit;
            case Lsm target -> AttachKind.Lsm;
            case Kprobe target -> AttachKind.Kprobe;
            case Tracepoint target -> AttachKind.Tracepoint;
            case Uprobe target -> AttachKind.Uprobe;
            case Uretprobe target -> AttachKind.Uretprobe;
            case SkLookup target -> AttachKind.SkLookup;
        };
    }

    /** The target in words, e.g. {@code Xdp(eth0, Generic)}, for status, tables and messages. */
    default String describe() {
        return kind() + "(" + switch (this) {
            case RawTracepoint(String name) -> name;
            case TpBtf(String name) -> name;
            case Xdp(String interfaceName, Xdp.Mode mode) -> interfaceName + ", " + mode;
            case Tcx(String interfaceName, Tcx.Direction direction) -> interfaceName + ", " + direction;
            case Cgroup(Path path, CgroupAttach attachType) -> path + ", " + attachType;
            case Fentry(String function) -> function;
            case Fexit(String function) -> function;
            case Lsm(String hook) -> hook;
            case Kprobe(String function) -> function;
            case Tracepoint(String category, String name) -> category + "/" + name;
            case Uprobe(UserFunction function) -> function.describe();
            case Uretprobe(UserFunction function) -> function.describe();
            case SkLookup(Path namespace) -> namespace.toString();
        } + ")";
    }

    /** An absolute path without "." or ".." segments: what it names is what it says. */
    static void requireAbsolute(Path path, String what) {
        Objects.requireNonNull(path, what);
        if (!path.isAbsolute() || !path.normalize().equals(path)) {
            throw new IllegalArgumentException("the " + what + " path '" + path + "' is not absolute and normal"
                    + " (no '.' or '..' segments)");
        }
    }

    private static void requireTracefsName(String name, String what) {
        if (name == null || !Tracefs.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tracepoint " + what + " '" + name + "' is not " + Tracefs.NAME.pattern());
        }
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an attach target needs a " + what + " name");
        }
    }
}
