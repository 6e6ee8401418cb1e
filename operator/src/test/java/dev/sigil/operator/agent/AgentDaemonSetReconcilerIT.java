package dev.sigil.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.SigilApi;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.operator.OperatorConfig;
import dev.sigil.operator.SigilOperator;
import dev.sigil.operator.trust.ObjectRef;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent DaemonSet, kept by its own controller against the strict mock API server: there as soon as the
 * operator runs and the agents' trust ConfigMap exists, with no program at all; put back after an edit or a
 * deletion; updated in place when the operator restarts with another configuration; one object however many
 * programs there are.
 */
class AgentDaemonSetReconcilerIT {
    private static final String NAMESPACE = "sigil-agents";
    private static final String TRUST = "sigil-trust";
    private static final String IMAGE = "registry.example/sigil:1.0.0";

    private MockApiServer api;
    private KubernetesClient client;
    private SigilOperator operator;

    @BeforeEach
    void startApiServer() {
        api = MockApiServer.start();
        client = api.client();
        api.createNamespace(NAMESPACE);
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        api.close();
    }

    @Test
    void createdWithNoProgramOnceTheTrustItMountsExists() {
        operator = start(AgentConfig.defaults(IMAGE, TRUST));
        await().until(operator::isReady);
        assertThat(client.resources(SignedBpfProgram.class).list().getItems()).isEmpty();
        assertThat(daemonSet()).as("no DaemonSet whose pods could not mount their trust").isNull();

        createTrust();

        DaemonSet agents = await().until(this::daemonSet, found -> found != null);
        DaemonSet desired = AgentDaemonSet.desired(AgentConfig.defaults(IMAGE, TRUST), NAMESPACE, Optional.empty());
        assertThat(agents.getSpec()).isEqualTo(desired.getSpec());
        assertThat(agents.getMetadata().getLabels()).isEqualTo(desired.getMetadata().getLabels());
        assertThat(agents.getMetadata().getOwnerReferences()).as("not owned by the chart's ConfigMap").isEmpty();
    }

    @Test
    void anEditedSpecIsPutBack() {
        createTrust();
        operator = start(AgentConfig.defaults(IMAGE, TRUST));
        DaemonSet first = await().until(this::daemonSet, found -> found != null);

        client.apps().daemonSets().inNamespace(NAMESPACE).withName(AgentDaemonSet.NAME).edit(edited -> {
            agentContainer(edited).setImage("registry.example/not-sigil:latest");
            edited.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("kubernetes.io/os", "linux"));
            return edited;
        });

        await().untilAsserted(() -> {
            DaemonSet repaired = daemonSet();
            assertThat(agentContainer(repaired).getImage()).isEqualTo(IMAGE);
            assertThat(repaired.getSpec().getTemplate().getSpec().getNodeSelector())
                    .as("agents only where the operator put its label").containsEntry(SigilApi.AGENT_NODE_LABEL, "true");
            assertThat(repaired.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
        });
    }

    @Test
    void deletedAgentDaemonSetIsRecreated() {
        createTrust();
        operator = start(AgentConfig.defaults(IMAGE, TRUST));
        DaemonSet first = await().until(this::daemonSet, found -> found != null);

        client.resource(first).delete();

        await().untilAsserted(() -> {
            DaemonSet again = daemonSet();
            assertThat(again).isNotNull();
            assertThat(again.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
        });
    }

    @Test
    void anOperatorRestartedWithNewSettingsUpdatesTheSameDaemonSet() {
        createTrust();
        operator = start(AgentConfig.defaults(IMAGE, TRUST));
        DaemonSet before = await().until(this::daemonSet, found -> found != null);
        operator.close();

        AgentConfig upgraded = AgentConfig.defaults("registry.example/sigil:1.1.0", TRUST);
        operator = start(upgraded);

        await().untilAsserted(() -> {
            DaemonSet after = daemonSet();
            assertThat(after.getSpec())
                    .isEqualTo(AgentDaemonSet.desired(upgraded, NAMESPACE, Optional.empty()).getSpec());
            assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
        });
        assertThat(client.apps().daemonSets().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    }

    @Test
    void readsOnlyTheTrustConfigMapByName() {
        var configuration = new AgentDaemonSetReconciler(AgentConfig.defaults(IMAGE, TRUST), NAMESPACE,
                Optional.empty()).configuration(new BaseConfigurationService());

        assertThat(configuration.getInformerConfig().getFieldSelector().getFields())
                .as("RBAC lets the operator list and watch this one ConfigMap, by name only")
                .containsExactly(new FieldSelector.Field("metadata.name", TRUST));
        assertThat(configuration.getInformerConfig().getNamespaces()).containsExactly(NAMESPACE);
    }

    private SigilOperator start(AgentConfig agent) {
        SigilOperator started = SigilOperator.create(client, new OperatorConfig(NAMESPACE,
                new ObjectRef(NAMESPACE, TRUST), agent, Duration.ofMinutes(5), false), Optional.empty(),
                new SimpleMeterRegistry(), Clock.systemUTC());
        started.start();
        return started;
    }

    private void createTrust() {
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(TRUST).withNamespace(NAMESPACE).endMetadata()
                .addToData("README", "trust anchors are the *.pem keys")
                .build()).create();
    }

    private DaemonSet daemonSet() {
        return client.apps().daemonSets().inNamespace(NAMESPACE).withName(AgentDaemonSet.NAME).get();
    }

    private static Container agentContainer(DaemonSet daemonSet) {
        return daemonSet.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }
}
