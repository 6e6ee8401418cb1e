package dev.sigil.bpf.attach;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one program attaches: one record per {@link AttachKind}, each holding exactly what that kind's
 * link needs. The library's own type: the agent translates the API's attach spec into it.
 */
public sealed interface AttachTarget {

    AttachKind kind();

    /** The target in words, e.g. {@code Xdp(eth0, Generic)}, for status, tables and messages. */
    String describe();

    /** A raw tracepoint by name (BPF_RAW_TRACEPOINT_OPEN), e.g. {@code sys_enter}. */
    record RawTracepoint(String name) implements AttachTarget {
        public RawTracepoint {
            requireName(name, "tracepoint");
        }

        public AttachKind kind() {
            return AttachKind.RawTracepoint;
        }

        public String describe() {
            return kind() + "(" + name + ")";
        }
    }

    /** A BTF-typed tracepoint; the program's load already fixed which one, so the name is for people. */
    record TpBtf(String name) implements AttachTarget {
        public TpBtf {
            requireName(name, "tracepoint");
        }

        public AttachKind kind() {
            return AttachKind.TpBtf;
        }

        public String describe() {
            return kind() + "(" + name + ")";
        }
    }

    record Xdp(String interfaceName, Mode mode) implements AttachTarget {
        /** Generic: skb mode, works on any interface. Driver: native XDP, needs driver support. */
        public enum Mode { Generic, Driver }

        public Xdp {
            requireName(interfaceName, "interface");
            Objects.requireNonNull(mode, "mode");
        }

        public AttachKind kind() {
            return AttachKind.Xdp;
        }

        public String describe() {
            return kind() + "(" + interfaceName + ", " + mode + ")";
        }
    }

    record Tcx(String interfaceName, Direction direction) implements AttachTarget {
        public enum Direction { Ingress, Egress }

        public Tcx {
            requireName(interfaceName, "interface");
            Objects.requireNonNull(direction, "direction");
        }

        public AttachKind kind() {
            return AttachKind.Tcx;
        }

        public String describe() {
            return kind() + "(" + interfaceName + ", " + direction + ")";
        }
    }

    /** A cgroup v2 directory and the hook inside it. */
    record Cgroup(Path path, CgroupAttach attachType) implements AttachTarget {
        public Cgroup {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(attachType, "attachType");
        }

        public AttachKind kind() {
            return AttachKind.Cgroup;
        }

        public String describe() {
            return kind() + "(" + path + ", " + attachType + ")";
        }
    }

    record Fentry(String function) implements AttachTarget {
        public Fentry {
            requireName(function, "function");
        }

        public AttachKind kind() {
            return AttachKind.Fentry;
        }

        public String describe() {
            return kind() + "(" + function + ")";
        }
    }

    record Fexit(String function) implements AttachTarget {
        public Fexit {
            requireName(function, "function");
        }

        public AttachKind kind() {
            return AttachKind.Fexit;
        }

        public String describe() {
            return kind() + "(" + function + ")";
        }
    }

    /** An LSM hook, e.g. {@code file_open}. */
    record Lsm(String hook) implements AttachTarget {
        public Lsm {
            requireName(hook, "hook");
        }

        public AttachKind kind() {
            return AttachKind.Lsm;
        }

        public String describe() {
            return kind() + "(" + hook + ")";
        }
    }

    /** A kprobe_multi link on one kernel function. */
    record Kprobe(String function) implements AttachTarget {
        public Kprobe {
            requireName(function, "function");
        }

        public AttachKind kind() {
            return AttachKind.Kprobe;
        }

        public String describe() {
            return kind() + "(" + function + ")";
        }
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an attach target needs a " + what + " name");
        }
    }
}
