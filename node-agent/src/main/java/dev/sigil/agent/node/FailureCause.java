package dev.sigil.agent.node;

import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.signing.ReasonCode;
import java.util.Objects;

/** Why a resource failed on this node: its verification said no, or the kernel side did. */
public sealed interface FailureCause {

    /** The resource does not verify against the node's trust bundle. */
    record Untrusted(ReasonCode code) implements FailureCause {
        public Untrusted {
            Objects.requireNonNull(code, "code");
        }

        @Override
        public String toString() {
            return code.name();
        }
    }

    /** The kernel side could not load, attach or pin it. */
    record Kernel(FailureReason reason) implements FailureCause {
        public Kernel {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return reason.name();
        }
    }

    /**
     * Whether nothing of the resource may keep running. An untrusted resource — or its signer or loader,
     * revoked in the node's trust bundle — must stop; a kernel-side failure of a new generation leaves the
     * generation that runs in place.
     */
    default boolean stopsWhatRuns() {
        return this instanceof Untrusted;
    }
}
