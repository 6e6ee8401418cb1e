package dev.sigil.bpf.kernel;

/** The probe's answer for one capability: supported (with what was found), or not and why. */
public sealed interface Support {

    record Supported(String detail) implements Support {
    }

    record Unsupported(String reason) implements Support {
    }

    static Support supported(String detail) {
        return new Supported(detail);
    }

    static Support unsupported(String reason) {
        return new Unsupported(reason);
    }

    default boolean isSupported() {
        return this instanceof Supported;
    }

    /** What was found, or why not: for logs and status. */
    default String describe() {
        return switch (this) {
            case Supported(String detail) -> "Supported" + (detail.isEmpty() ? "" : " (" + detail + ")");
            case Unsupported(String reason) -> "Unsupported: " + reason;
        };
    }
}
