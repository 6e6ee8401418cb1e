package dev.sigil.bpf.testing;

import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.ObjectKind;
import java.util.Optional;

/** Whether the kernel still holds a program, map or link, by the id a report or the output named. */
public final class KernelObjects {
    private KernelObjects() {
    }

    /** True while the object exists: its id still opens (the fd opened to ask is closed again). */
    public static boolean exists(ObjectKind kind, long id) {
        Optional<Fd> fd = LinuxSyscallBridge.create().fdById(kind, Math.toIntExact(id));
        fd.ifPresent(Fd::close);
        return fd.isPresent();
    }
}
