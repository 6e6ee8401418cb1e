package dev.sigil.e2e;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Skips a container suite where no Docker engine answers, and says why in the test output (a skip
 * reason alone only reaches the XML reports).
 */
final class RequiresDocker implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String cause;
        try {
            DockerClientFactory.instance().client();
            return ConditionEvaluationResult.enabled("Docker engine available");
        } catch (RuntimeException e) {
            cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        String reason = "no Docker engine: " + cause;
        System.out.println("SKIPPED " + context.getDisplayName() + ": " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
