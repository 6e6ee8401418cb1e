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
     * The resource breaks the API's rules (a name the kernel or bpffs cannot take, one that would leave the pin root,
     * a name given twice, a required field missing): refused before anything of it reaches the kernel.
     */
    record Invalid() implements FailureCause {
        @Override
        public String toString() {
            return "InvalidResource";
        }
    }

    /**
     * Something failed that should not have: an exception from a library, reported on this resource alone instead of
     * reaching the user or the loop that handles the others. During verification it counts as a verification that
     * did not pass.
     */
    record Unexpected(Stage stage) implements FailureCause {
        public enum Stage { Verification, Deployment }

        public Unexpected {
            Objects.requireNonNull(stage, "stage");
        }

        @Override
        public String toString() {
            return "AgentError";
        }
    }

    /**
     * Whether nothing of the resource may keep running. An untrusted resource — or its signer or loader,
     * revoked in the node's trust bundle, or one whose verification could not finish — must stop; a kernel-side
     * failure or an invalid new generation leaves the generation that runs in place.
     */
    default boolean stopsWhatRuns() {
        return this instanceof Untrusted || this instanceof Unexpected(Unexpected.Stage stage)
                && stage == Unexpected.Stage.Verification;
    }
}
