package dev.sigil.e2e;

import dev.sigil.crds.schema.CommittedCrds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real cluster (kind, k3s, a bare control plane, …) named by a kubeconfig. The CRDs are installed by
 * server-side apply from {@code crds/}, as the README tells users to, and stay installed afterwards.
 */
class KubeconfigTarget implements ClusterTarget {
    private static final String FIELD_MANAGER = "sigil-e2e";
    private final Path kubeconfig;

    KubeconfigTarget(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    @Override
    public String describe() {
        return "cluster of kubeconfig " + kubeconfig;
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void installCrds(KubernetesClient client) {
        for (CustomResourceDefinition crd : CommittedCrds.all()) {
            client.resource(crd).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(current -> current != null && current.getStatus() != null
                            && current.getStatus().getConditions().stream()
                                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                            patience().toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Override
    public Duration patience() {
        return Duration.ofMinutes(3);
    }

    @Override
    public void close() {
        // The cluster is the user's: the suite removes what it created, and leaves the cluster running.
    }
}
