package dev.sigil.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The suite on a k3s server in a container, where a Docker engine answers. */
@ExtendWith(RequiresDocker.class)
class K3sClusterFlowE2E extends ClusterFlowE2E {
    @Override
    ClusterTarget startTarget(Path workDir) {
        return K3sTarget.start(workDir);
    }
}
