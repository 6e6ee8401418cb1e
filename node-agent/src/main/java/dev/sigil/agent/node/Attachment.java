package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.failure.BpfFailure;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One target of a running program as the host reports it: attached (with its link's id and pin), failed to attach
 * (the kernel's reason), or detached since it was attached (its interface is gone, or the program no longer targets
 * it). {@code reason}: a CamelCase code for the latter two, e.g. {@code AttachFailed}, {@code InterfaceGone}.
 */
public record Attachment(AttachTarget target, State state, int linkId, Optional<Path> pin, Optional<String> reason,
        Optional<String> message) {

    public enum State { Attached, Failed, Detached }

    /** The target's interface no longer exists on the node; the kernel detached its link. */
    public static final String INTERFACE_GONE = "InterfaceGone";
    /** The program's targets, resolved again, no longer include it. */
    public static final String NOT_TARGETED = "NotTargeted";

    public Attachment {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    static Attachment attached(AttachTarget target, int linkId, Path pin) {
        return new Attachment(target, State.Attached, linkId, Optional.of(pin), Optional.empty(), Optional.empty());
    }

    static Attachment failed(AttachTarget target, BpfFailure failure) {
        return new Attachment(target, State.Failed, 0, Optional.empty(), Optional.of(failure.reason().name()),
                Optional.ofNullable(failure.getMessage()));
    }

    static Attachment detached(AttachTarget target, String reason, String message) {
        return new Attachment(target, State.Detached, 0, Optional.empty(), Optional.of(reason), Optional.of(message));
    }
}
