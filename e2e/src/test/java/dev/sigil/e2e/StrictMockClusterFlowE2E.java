package dev.sigil.e2e;

import java.nio.file.Path;

/** The suite on the strict mock API server: part of every build, so the suite itself keeps working. */
class StrictMockClusterFlowE2E extends ClusterFlowE2E {
    @Override
    ClusterTarget startTarget(Path workDir) {
        return new StrictMockTarget(workDir);
    }
}
