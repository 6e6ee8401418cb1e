package dev.sigil.bpf.sys;

import java.nio.file.Path;

/**
 * The real bridge's system calls that are not bpf(2): keys for the Sigil keyring, interface names,
 * directories, the bpffs mount and network namespaces. Each checks its result and throws
 * {@link SyscallException} naming the call, as the bpf() commands do.
 */
final class LinuxProcessCalls {
    private static final int KEYCTL_INVALIDATE = 21;
    private static final String ADD_KEY = "add_key";
    private static final long CLONE_NEWNET = 0x40000000L;

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

    void mountBpffs(Path target) {
        Native.Result result = Native.mount("bpf", target.toString(), "bpf");
        if (result.failed()) {
            throw new SyscallException("mount", result.errno(), "bpffs on " + target);
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
