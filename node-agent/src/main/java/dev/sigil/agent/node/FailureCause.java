package dev.sigil.agent.node;

import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.signing.ReasonCode;
import java.util.Objects;

/** Why a resource failed on this node: its verification said no, the kernel side did, or the agent itself broke. */
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
     * The agent failed while handling the resource (a defect or a state it did not expect), not the resource
     * or the kernel: reported on that resource alone, so one such failure never stops the agent handling the others.
     *
     * @param error the exception's class and message
     */
    record Agent(String error) implements FailureCause {
        public Agent {
            Objects.requireNonNull(error, "error");
        }

        public static Agent of(RuntimeException e) {
            return new Agent(e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }

        @Override
        public String toString() {
            return "AgentError";
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
