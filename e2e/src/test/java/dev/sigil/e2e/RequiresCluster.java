package dev.sigil.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the suite against a real cluster only when one is named: {@code SIGIL_E2E_KUBECONFIG}, or
 * {@code KUBECONFIG} (else {@code ~/.kube/config}) when the build runs with {@code -Pe2e}. A plain build
 * never touches the cluster a developer's shell happens to point at. Otherwise skips and says why.
 */
final class RequiresCluster implements ExecutionCondition {
    static final String KUBECONFIG_ENV = "SIGIL_E2E_KUBECONFIG";

    static Optional<Path> kubeconfig() {
        String explicit = System.getenv(KUBECONFIG_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit));
        }
        if (!Boolean.getBoolean("sigil.e2e.useKubeconfig")) {
            return Optional.empty();
        }
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            return Optional.of(Path.of(kubeconfig.split(":")[0]));
        }
        return Optional.of(Path.of(System.getProperty("user.home"), ".kube", "config"));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Path> kubeconfig = kubeconfig();
        String reason;
        if (kubeconfig.isEmpty()) {
            reason = "no cluster given: set " + KUBECONFIG_ENV + "=/path/to/kubeconfig, or build with -Pe2e to use KUBECONFIG"
                    + (System.getenv("KUBECONFIG") != null ? " (KUBECONFIG is set, but a plain build leaves that cluster alone)" : "");
        } else if (!Files.isReadable(kubeconfig.get())) {
            reason = "cannot read the kubeconfig " + kubeconfig.get();
        } else {
            return ConditionEvaluationResult.enabled("cluster of " + kubeconfig.get());
        }
        System.out.println("SKIPPED " + context.getDisplayName() + ": " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
