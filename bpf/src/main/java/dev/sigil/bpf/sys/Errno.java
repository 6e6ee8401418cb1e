package dev.sigil.bpf.sys;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The Linux errno values the agent names in its errors and decisions (asm-generic numbering: x86_64 and arm64). */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11), ENOMEM(12),
    EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), EXDEV(18), ENODEV(19), ENOTDIR(20), EISDIR(21), EINVAL(22),
    ENFILE(23), EMFILE(24), ENOSPC(28), EROFS(30), ERANGE(34), ENAMETOOLONG(36), ENOSYS(38), ENOTEMPTY(39),
    ELOOP(40), ENODATA(61), ENOPKG(65), EBADMSG(74), EOVERFLOW(75), EMSGSIZE(90), EPROTONOSUPPORT(93),
    EOPNOTSUPP(95), EADDRNOTAVAIL(99), ENETDOWN(100), ETIMEDOUT(110), EALREADY(114), ECANCELED(125),
    ENOKEY(126), EKEYEXPIRED(127), EKEYREVOKED(128), EKEYREJECTED(129),
    /** Kernel-internal "not supported" that the bpf() paths sometimes leak to user space. */
    ENOTSUPP(524);

    private static final Map<Integer, Errno> BY_NUMBER = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Errno::number, Function.identity()));

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static Optional<Errno> of(int number) {
        return Optional.ofNullable(BY_NUMBER.get(number));
    }

    /** {@code EPERM}, or {@code errno 4711} for a value this table does not name. */
    public static String nameOf(int number) {
        return of(number).map(Errno::name).orElse("errno " + number);
    }

    /** Name and the C library's text, as errors show it: {@code EPERM (Operation not permitted)}. */
    public static String describe(int number) {
        String text;
        try {
            text = Native.strerror(number);
        } catch (LinkageError | IllegalStateException e) {
            text = "errno " + number;
        }
        return nameOf(number) + " (" + text + ")";
    }
}
