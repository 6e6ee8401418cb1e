package dev.sigil.bpf.attach;

import dev.sigil.bpf.kernel.AttachKind;
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
        } + ")";
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an attach target needs a " + what + " name");
        }
    }
}
