package dev.sigil.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The suite on a real cluster, when one is given ({@link RequiresCluster}). */
@ExtendWith(RequiresCluster.class)
class KubeconfigClusterFlowE2E extends ClusterFlowE2E {
    @Override
    ClusterTarget startTarget(Path workDir) {
        return new KubeconfigTarget(RequiresCluster.kubeconfig().orElseThrow());
    }
}
