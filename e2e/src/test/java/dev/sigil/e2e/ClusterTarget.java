package dev.sigil.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/** An API server the suite runs against, and what differs between them. */
interface ClusterTarget extends AutoCloseable {
    /** Shown in the output, e.g. "strict mock API server" or "kubeconfig /root/.kube/kind". */
    String describe();

    /** For the test's client and for the operator's and agents' {@code KUBECONFIG}. */
    Path kubeconfig();

    /** Installs Sigil's CRDs as a user would, and returns once the API server serves them. */
    void installCrds(KubernetesClient client);

    /** How long one step may take: a real cluster on a loaded machine is slower than the mock. */
    Duration patience();

    @Override
    void close();
}
