package dev.sigil.agent.node;

import java.util.List;

/** What a deploy did. */
sealed interface DeployOutcome {

    /** The new generation is loaded, attached and pinned; the one before it is retired. */
    record Deployed(HostedResource resource) implements DeployOutcome {
    }

    /** The same generation and loader already run intact: nothing was touched. */
    record Unchanged(HostedResource resource) implements DeployOutcome {
    }

    /**
     * The same generation and loader run, but its programs resolve to other targets now: the new ones are attached,
     * the gone ones detached, nothing loaded again; each change in words.
     */
    record Retargeted(HostedResource resource, List<String> changes) implements DeployOutcome {
        public Retargeted {
            changes = List.copyOf(changes);
        }
    }

    /** It did not verify, or cannot be pinned under its name: nothing reached the kernel. */
    record Refused(Failure failure) implements DeployOutcome {
    }

    /** It verified, but the kernel side failed; all of it was rolled back and what ran before runs on. */
    record Failed(String loaderHash, Failure failure) implements DeployOutcome {
    }
}
