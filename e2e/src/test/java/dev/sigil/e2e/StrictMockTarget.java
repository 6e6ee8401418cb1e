package dev.sigil.e2e;

import dev.sigil.crds.testing.MockApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/** The strict mock API server, which starts with the committed CRDs installed; it runs in every build. */
final class StrictMockTarget implements ClusterTarget {
    private final MockApiServer api = MockApiServer.start();
    private final Path kubeconfig;

    StrictMockTarget(Path workDir) {
        this.kubeconfig = api.writeKubeconfig(workDir.resolve("kubeconfig"));
    }

    @Override
    public String describe() {
        return "strict mock API server";
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void installCrds(KubernetesClient client) {
        // Installed from crds/ when the server started: it does not implement server-side apply.
    }

    @Override
    public Duration patience() {
        return Duration.ofMinutes(2);
    }

    @Override
    public void close() {
        api.close();
    }
}
