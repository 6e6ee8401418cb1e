package dev.sigil.agent.cluster;

import dev.sigil.agent.node.ProgramHost;

/**
 * Opens a {@link ProgramHost} with the trust bundle as it is on disk now. The cluster agent opens a
 * fresh host whenever the mounted trust bundle changes, so every later apply verifies against it.
 */
@FunctionalInterface
public interface ProgramHostFactory {
    /** @throws Exception when the trust bundle cannot be read or the kernel cannot be used */
    ProgramHost open() throws Exception;
}
