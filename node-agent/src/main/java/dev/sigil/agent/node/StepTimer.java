package dev.sigil.agent.node;

import java.time.Duration;

/** Told how long each step of a deploy took, where the step ran (the agent's metrics listen). */
@FunctionalInterface
public interface StepTimer {
    /** Times nothing: for hosts nobody measures (the CLI's status and unload, tests). */
    StepTimer NONE = (step, elapsed) -> {
    };

    void took(DeployStep step, Duration elapsed);

    /** Reports the time since {@code startNanos} ({@link System#nanoTime()}) as {@code step}'s. */
    default void since(DeployStep step, long startNanos) {
        took(step, Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
