package dev.sigil.bpf.attach;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A function of a user-space binary, as a uprobe or uretprobe names it: the binary's absolute path, the
 * function's symbol in its ELF symbol tables, a byte offset into the function, and optionally the one
 * process the probe fires in (any process mapping the binary otherwise). The path is resolved in the
 * agent's mount namespace.
 */
public record UserFunction(Path binary, String symbol, long offset, OptionalInt pid) {
    /** Mangled C++, Rust and Go names included; no whitespace, and none of ':' '+' '/' the notation uses. */
    public static final Pattern SYMBOL = Pattern.compile("[A-Za-z_.$][A-Za-z0-9_.$@()*<>,~-]{0,255}");
    /** PID_MAX_LIMIT: no Linux process id is larger. */
    public static final int MAX_PID = 1 << 22;
    /** No function is a mebibyte long: a larger offset is a mistake. */
    public static final long MAX_OFFSET = 1 << 20;

    public UserFunction {
        AttachTarget.requireAbsolute(binary, "binary");
        if (symbol == null || !SYMBOL.matcher(symbol).matches()) {
            throw new IllegalArgumentException("uprobe symbol '" + symbol + "' is not " + SYMBOL.pattern());
        }
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new IllegalArgumentException("uprobe offset " + offset + " is outside 0.." + MAX_OFFSET);
        }
        Objects.requireNonNull(pid, "pid");
        if (pid.isPresent() && (pid.getAsInt() < 1 || pid.getAsInt() > MAX_PID)) {
            throw new IllegalArgumentException("uprobe pid " + pid.getAsInt() + " is outside 1.." + MAX_PID);
        }
    }

    /** E.g. {@code /usr/bin/app:main+0x10, pid 42}. */
    public String describe() {
        return binary + ":" + symbol + (offset == 0 ? "" : "+0x" + Long.toHexString(offset))
                + (pid.isPresent() ? ", pid " + pid.getAsInt() : "");
    }
}
