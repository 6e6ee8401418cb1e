package dev.sigil.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OperatorOwnerIT {
    private static final String NAMESPACE = "sigil-system";
    private static MockApiServer api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = MockApiServer.start();
        api.createNamespace(NAMESPACE);
        client = api.client();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void followsThePodsControllersUpToTheDeployment() {
        HasMetadata deployment = client.resource(new DeploymentBuilder()
                .withNewMetadata().withName("sigil-operator").withNamespace(NAMESPACE).endMetadata().build()).create();
        HasMetadata replicaSet = client.resource(new ReplicaSetBuilder()
                .withNewMetadata().withName("sigil-operator-7d9f").withNamespace(NAMESPACE)
                    .withOwnerReferences(controlledBy(deployment)).endMetadata().build()).create();
        client.resource(new PodBuilder()
                .withNewMetadata().withName("sigil-operator-7d9f-x2v4q").withNamespace(NAMESPACE)
                    .withOwnerReferences(controlledBy(replicaSet)).endMetadata().build()).create();

        Optional<OwnerReference> owner = OperatorOwner.resolve(client, NAMESPACE, Optional.of("sigil-operator-7d9f-x2v4q"));

        assertThat(owner).hasValueSatisfying(reference -> {
            assertThat(reference.getKind()).isEqualTo("Deployment");
            assertThat(reference.getApiVersion()).isEqualTo("apps/v1");
            assertThat(reference.getName()).isEqualTo("sigil-operator");
            assertThat(reference.getUid()).isEqualTo(deployment.getMetadata().getUid());
        });
    }

    @Test
    void noOwnerOutsideTheClusterOrForABarePod() {
        client.resource(new PodBuilder().withNewMetadata().withName("bare").withNamespace(NAMESPACE).endMetadata().build())
                .create();

        assertThat(OperatorOwner.resolve(client, NAMESPACE, Optional.empty())).isEmpty();
        assertThat(OperatorOwner.resolve(client, NAMESPACE, Optional.of("bare"))).isEmpty();
        assertThat(OperatorOwner.resolve(client, NAMESPACE, Optional.of("missing"))).isEmpty();
    }

    private static OwnerReference controlledBy(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
                .build();
    }
}
