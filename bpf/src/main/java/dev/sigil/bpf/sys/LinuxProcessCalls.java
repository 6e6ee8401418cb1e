package dev.sigil.bpf.sys;

import dev.sigil.bpf.sys.BpfAttrFields.PerfEventAttrFields;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The real bridge's system calls that are not bpf(2): keys for the Sigil keyring, interface names,
 * directories and files, the bpffs and tracefs mounts, network namespaces and perf events. Each checks its
 * result and throws {@link SyscallException} naming the call, as the bpf() commands do.
 */
final class LinuxProcessCalls {
    private static final int KEYCTL_INVALIDATE = 21;
    private static final String ADD_KEY = "add_key";
    private static final long CLONE_NEWNET = 0x40000000L;
    /** perf_event_open(2) flag: the new fd is close-on-exec. */
    private static final long PERF_FLAG_FD_CLOEXEC = 8;
    private static final int NO_GROUP = -1;

    private final SyscallNumbers numbers;

    LinuxProcessCalls(SyscallNumbers numbers) {
        this.numbers = numbers;
    }

    int addKey(String type, String description, byte[] payload, int destinationKeyring) {
        try (CallMemory memory = CallMemory.open()) {
            Native.Result result = Native.syscall(numbers.addKey(), memory.string(type).address(),
                    memory.string(description).address(), memory.copy(payload).address(), payload.length,
                    destinationKeyring);
            if (result.failed()) {
                throw new SyscallException(ADD_KEY, result.errno(), type + " key '" + description + "'");
            }
            return (int) result.value();
        }
    }

    void invalidateKey(int serial) {
        Native.Result result = Native.syscall(numbers.keyctl(), KEYCTL_INVALIDATE, serial, 0, 0, 0);
        if (result.failed()) {
            throw new SyscallException("keyctl(KEYCTL_INVALIDATE)", result.errno(), "key " + serial);
        }
    }

    int interfaceIndex(String interfaceName) {
        Native.Result result = Native.interfaceIndex(interfaceName);
        if (result.failed()) {
            throw new SyscallException("if_nametoindex", result.errno(), "interface " + interfaceName);
        }
        return (int) result.value();
    }

    Fd openDirectory(Path directory) {
        return open(directory, Native.O_DIRECTORY, directory.toString());
    }

    /** open(2) read-only, never inherited by a child process. */
    static Fd open(Path path, int flags, String context) {
        Native.Result result = Native.open(path.toString(), Native.O_RDONLY | Native.O_CLOEXEC | flags);
        if (result.failed()) {
            throw new SyscallException("open", result.errno(), context);
        }
        return Fd.ownNative((int) result.value());
    }

    /** open(2) read-only on anything but a directory, e.g. a network namespace file. */
    Fd openFile(Path file) {
        return open(file, 0, file.toString());
    }

    void mountBpffs(Path target) {
        mount("bpf", target, "bpffs");
    }

    void mountTracefs(Path target) {
        mount("tracefs", target, "tracefs");
    }

    private static void mount(String type, Path target, String what) {
        Native.Result result = Native.mount(type, target.toString(), type);
        if (result.failed()) {
            throw new SyscallException("mount", result.errno(), what + " on " + target);
        }
    }

    void unmount(Path target) {
        Native.Result result = Native.unmount(target.toString());
        if (result.failed()) {
            throw new SyscallException("umount2", result.errno(), target.toString());
        }
    }

    Fd perfEventOpen(PerfEventRequest request) {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment attr = memory.allocate(BpfAttr.PERF_EVENT_ATTR);
            PerfEventAttrFields.TYPE.set(attr, request.type());
            PerfEventAttrFields.SIZE.set(attr, (int) BpfAttr.PERF_EVENT_ATTR.byteSize());
            PerfEventAttrFields.CONFIG.set(attr, request.config());
            PerfEventAttrFields.CONFIG2.set(attr, request.config2());
            request.path().ifPresent(path -> PerfEventAttrFields.CONFIG1.address(attr, memory.string(path.toString())));
            Native.Result result = Native.syscall(numbers.perfEventOpen(), attr.address(), request.pid(),
                    request.cpu(), NO_GROUP, PERF_FLAG_FD_CLOEXEC);
            if (result.failed()) {
                throw new SyscallException("perf_event_open", result.errno(), request.describe());
            }
            return Fd.ownNative((int) result.value());
        }
    }

    void unshareNetworkNamespace() {
        Native.Result result = Native.syscall(numbers.unshare(), CLONE_NEWNET, 0, 0, 0, 0);
        if (result.failed()) {
            throw new SyscallException("unshare(CLONE_NEWNET)", result.errno(), "");
        }
    }

    void enterNetworkNamespace(Path namespace) {
        try (Fd fd = open(namespace, 0, "network namespace " + namespace)) {
            Native.Result result = Native.syscall(numbers.setns(), fd.number(), CLONE_NEWNET, 0, 0, 0);
            if (result.failed()) {
                throw new SyscallException("setns(CLONE_NEWNET)", result.errno(), "network namespace " + namespace);
            }
        }
    }
}
