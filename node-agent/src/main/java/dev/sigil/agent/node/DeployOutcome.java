package dev.sigil.agent.node;

/** What a deploy did. */
sealed interface DeployOutcome {

    /** The new generation is loaded, attached and pinned; the one before it is retired. */
    record Deployed(HostedResource resource) implements DeployOutcome {
    }

    /** The same generation and loader already run intact: nothing was touched. */
    record Unchanged(HostedResource resource) implements DeployOutcome {
    }

    /** It did not verify, or cannot be pinned under its name: nothing reached the kernel. */
    record Refused(Failure failure) implements DeployOutcome {
    }

    /** It verified, but the kernel side failed; all of it was rolled back and what ran before runs on. */
    record Failed(String loaderHash, Failure failure) implements DeployOutcome {
    }
}
