package dev.sigil.crds.testing;

import static dev.sigil.crds.testing.CustomResourceAdmissionIT.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewSpecBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API server's own rules for built-in kinds that Sigil writes, as the mock enforces them. */
class CoreRulesIT {
    private static MockApiServer api;

    @BeforeAll
    static void start() {
        api = MockApiServer.start();
        api.createNamespace("sigil-system");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void eventAboutAClusterScopedObjectLivesInDefault() {
        Status refused = refusal(() -> api.client().v1().events().inNamespace("sigil-system")
                .resource(eventAboutAProgram("sigil-system", "counter.1")).create());
        assertThat(refused.getMessage()).isEqualTo(
                "Event \"counter.1\" is invalid: involvedObject.namespace: Invalid value: \"\": does not match event.namespace");

        Event stored = api.client().v1().events().inNamespace("default").resource(eventAboutAProgram("default", "counter.2")).create();
        assertThat(stored.getInvolvedObject().getName()).isEqualTo("counter");
    }

    @Test
    void eventAboutANamespacedObjectLivesInItsNamespace() {
        Event aboutDaemonSet = new EventBuilder(eventAboutAProgram("default", "agent.1"))
                .editInvolvedObject().withKind("DaemonSet").withApiVersion("apps/v1").withNamespace("sigil-system").endInvolvedObject()
                .build();

        assertThat(refusal(() -> api.client().v1().events().inNamespace("default").resource(aboutDaemonSet).create())
                .getDetails().getCauses()).extracting(StatusCause::getField).containsExactly("involvedObject.namespace");
    }

    @Test
    void nodeLabelsFollowTheLabelSyntax() {
        api.createNode("node-labels", Map.of());

        Status refused = refusal(() -> api.client().nodes().withName("node-labels").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\": {\"labels\": {\"sigil.dev/agent\": \"yes please\", \"-bad\": \"x\"}}}"));

        assertThat(refused.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("metadata.labels", "FieldValueInvalid"));
        assertThat(refused.getDetails().getCauses()).hasSize(2);
        assertThat(api.client().nodes().withName("node-labels").get().getMetadata().getLabels()).isNullOrEmpty();
    }

    @Test
    void ownerReferencesNameTheirOwnerCompletely() {
        dev.sigil.crds.bpfnodestate.BpfNodeState state = new dev.sigil.crds.bpfnodestate.BpfNodeState();
        state.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("node-owned")
                .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName("node-owned").endOwnerReference()
                .build());

        assertThat(refusal(() -> api.client().resource(state).create()).getDetails().getCauses())
                .extracting(StatusCause::getField).containsExactly("metadata.ownerReferences[0].uid");
    }

    @Test
    void nothingIsCreatedInANamespaceThatDoesNotExist() {
        Status refused = refusal(() -> api.client().configMaps().inNamespace("nowhere").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("trust").withNamespace("nowhere").endMetadata().build()).create());

        assertThat(refused.getCode()).isEqualTo(404);
        assertThat(refused.getMessage()).isEqualTo("namespaces \"nowhere\" not found");
    }

    @Test
    void bidirectionalMountPropagationNeedsAPrivilegedContainer() {
        DaemonSet agents = new DaemonSetBuilder()
                .withNewMetadata().withName("agents").withNamespace("sigil-system").endMetadata()
                .withNewSpec()
                    .withNewSelector().addToMatchLabels("app", "agent").endSelector()
                    .withNewTemplate()
                        .withNewMetadata().addToLabels("app", "agent").endMetadata()
                        .withNewSpec()
                            .addNewContainer().withName("agent").withImage("sigil:test")
                                .addNewVolumeMount().withName("bpffs").withMountPath("/sys/fs/bpf").withMountPropagation("Bidirectional").endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("bpffs").withNewHostPath("/sys/fs/bpf", "Directory").endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();

        Status refused = refusal(() -> api.client().apps().daemonSets().inNamespace("sigil-system").resource(agents).create());

        assertThat(refused.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getMessage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.template.spec.containers[0].volumeMounts[0].mountPropagation",
                        "Forbidden: Bidirectional mount propagation is available only to privileged containers"));
    }

    @Test
    void answersRulesReviewsAsForAnAdministrator() {
        SelfSubjectRulesReview review = new SelfSubjectRulesReview();
        review.setSpec(new SelfSubjectRulesReviewSpecBuilder().withNamespace("sigil-system").build());

        SelfSubjectRulesReview answer = api.client().resource(review).create();

        assertThat(answer.getStatus().getResourceRules()).singleElement()
                .satisfies(rule -> assertThat(rule.getVerbs()).containsExactly("*"));
    }

    private static Event eventAboutAProgram(String namespace, String name) {
        return new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewInvolvedObject().withApiVersion("sigil.dev/v1alpha1").withKind("SignedBpfProgram").withName("counter")
                    .withNamespace("").endInvolvedObject()
                .withReason("RolloutStarted").withType("Normal").withMessage("rolling out")
                .withFirstTimestamp("2026-03-01T10:00:00Z").withLastTimestamp("2026-03-01T10:00:00Z").withCount(1)
                .build();
    }
}
