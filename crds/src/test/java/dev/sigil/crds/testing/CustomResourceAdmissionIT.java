package dev.sigil.crds.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.crds.schema.CommittedCrds;
import dev.sigil.crds.schema.Fixtures;
import dev.sigil.crds.schema.GoYaml;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mock admits custom resources as kube-apiserver does: the CRD's schema and CEL rules with the server's
 * 422 Status, pruning and defaults, the status subresource, generations and resource versions.
 */
class CustomResourceAdmissionIT {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private MockApiServer api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void refusesEveryStatusWriteUnderTheCrdWithBareTrueAndFalseAsARealServerDid() {
        String unquoted = CommittedCrds.text("signedbpfprograms.sigil.dev-v1.yml")
                .replace("- \"True\"", "- True").replace("- \"False\"", "- False");
        api = MockApiServer.start(List.of(SERIALIZATION.convertValue(GoYaml.read(unquoted), CustomResourceDefinition.class),
                CommittedCrds.read("bpfnodestates.sigil.dev-v1.yml")));
        api.client().resource(counter()).create();

        Status refused = refusal(() -> patchStatus("counter", """
                {"status": {"conditions": [{"type": "Verified", "status": "True", "reason": "SignatureVerified",
                  "lastTransitionTime": "2026-03-01T10:00:00Z"}]}}"""));

        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(refused.getMessage()).startsWith("SignedBpfProgram.sigil.dev \"counter\" is invalid: [status.conditions[0].status: "
                + "Unsupported value: \"True\": supported values: \"true\", \"false\", \"Unknown\", <nil>: Invalid value: \"null\": "
                + "some validation rules were not checked because the object was invalid");
    }

    @Test
    void acceptsTheSameStatusUnderTheCommittedCrd() {
        api = MockApiServer.start();
        api.client().resource(counter()).create();

        SignedBpfProgram written = patchStatus("counter", """
                {"status": {"conditions": [{"type": "Verified", "status": "True", "reason": "SignatureVerified",
                  "lastTransitionTime": "2026-03-01T10:00:00Z"}]}}""");

        assertThat(written.getStatus().getConditions()).singleElement()
                .satisfies(condition -> assertThat(condition.getStatus()).isEqualTo("True"));
    }

    @Test
    void refusesASchemaViolationWithTheServersStatusShape() {
        api = MockApiServer.start();
        SignedBpfProgram program = counter();
        program.getSpec().setHash("sha256:XYZ");
        program.getSpec().getPrograms().getFirst().getAttach().setType(dev.sigil.crds.signedbpfprogram.spec.AttachType.Xdp);

        Status refused = refusal(() -> api.client().resource(program).create());

        assertThat(refused.getKind()).isEqualTo("Status");
        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(refused.getReason()).isEqualTo("Invalid");
        assertThat(refused.getDetails().getKind()).isEqualTo("SignedBpfProgram");
        assertThat(refused.getDetails().getGroup()).isEqualTo("sigil.dev");
        assertThat(refused.getDetails().getName()).isEqualTo("counter");
        assertThat(refused.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("spec.hash", "FieldValueInvalid"),
                        org.assertj.core.groups.Tuple.tuple("spec.programs[0].attach", "FieldValueInvalid"),
                        org.assertj.core.groups.Tuple.tuple("spec.programs[0].attach", "FieldValueInvalid"));
        assertThat(api.client().resources(SignedBpfProgram.class).withName("counter").get()).isNull();
    }

    @Test
    void evaluatesCelRulesOnEveryWrite() {
        api = MockApiServer.start();
        api.client().resource(counter()).create();

        Status refused = refusal(() -> api.client().resources(SignedBpfProgram.class).withName("counter").edit(program -> {
            program.getSpec().getPrograms().getFirst().getAttach().setType(dev.sigil.crds.signedbpfprogram.spec.AttachType.Xdp);
            return program;
        }));

        assertThat(refused.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getMessage)
                .contains(org.assertj.core.groups.Tuple.tuple("spec.programs[0].attach",
                        "Invalid value: \"object\": rawTracepoint must be set exactly when type is RawTracepoint"));
    }

    @Test
    void prunesUnknownFieldsWithAWarningAndRefusesThemUnderStrictFieldValidation() {
        api = MockApiServer.start();
        GenericKubernetesResource withTypo = SERIALIZATION.convertValue(counterJson(), GenericKubernetesResource.class);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> spec = (java.util.Map<String, Object>) withTypo.getAdditionalProperties().get("spec");
        spec.put("enforcment", "Kernel");

        Status strict = refusal(() -> api.client().resource(withTypo)
                .fieldValidation(io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation.STRICT).create());
        assertThat(strict.getCode()).isEqualTo(400);
        assertThat(strict.getMessage()).endsWith("strict decoding error: unknown field \"spec.enforcment\"");

        api.client().resource(withTypo).create();
        GenericKubernetesResource stored = api.client().genericKubernetesResources("sigil.dev/v1alpha1", "SignedBpfProgram")
                .withName("counter").get();
        assertThat(((java.util.Map<?, ?>) stored.getAdditionalProperties().get("spec")).containsKey("enforcment")).isFalse();
    }

    @Test
    void fillsDefaultsAsTheServerStoresThem() {
        api = MockApiServer.start();
        SignedBpfProgram program = counter();
        program.getSpec().setEnforcement(null);
        program.getSpec().setProtocol(null);

        SignedBpfProgram created = api.client().resource(program).create();

        assertThat(created.getSpec().getEnforcement()).isEqualTo(Enforcement.Auto);
        assertThat(created.getSpec().getProtocol()).hasToString("LoaderHashV1");
    }

    @Test
    void statusGoesOnlyThroughTheStatusSubresourceAndGenerationMovesOnlyWithTheSpec() {
        api = MockApiServer.start();
        SignedBpfProgram program = counter();
        program.setStatus(new dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus());
        program.getStatus().setAttachedNodes(99);
        SignedBpfProgram created = api.client().resource(program).create();
        assertThat(created.getStatus()).as("status of a create is dropped").isNull();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1);

        SignedBpfProgram statusWritten = patchStatus("counter", """
                {"spec": {"enforcement": "Kernel"}, "status": {"attachedNodes": 1}}""");
        assertThat(statusWritten.getStatus().getAttachedNodes()).isEqualTo(1);
        assertThat(statusWritten.getSpec().getEnforcement()).as("a status write ignores the spec").isEqualTo(Enforcement.Auto);
        assertThat(statusWritten.getMetadata().getGeneration()).isEqualTo(1);

        SignedBpfProgram specWritten = api.client().resources(SignedBpfProgram.class).withName("counter").patch(MERGE, """
                {"spec": {"enforcement": "Agent"}, "status": {"attachedNodes": 7}}""");
        assertThat(specWritten.getStatus().getAttachedNodes()).as("a spec write ignores the status").isEqualTo(1);
        assertThat(specWritten.getMetadata().getGeneration()).isEqualTo(2);

        SignedBpfProgram labelled = api.client().resources(SignedBpfProgram.class).withName("counter").patch(MERGE, """
                {"metadata": {"labels": {"team": "net"}}}""");
        assertThat(labelled.getMetadata().getGeneration()).isEqualTo(2);
        assertThat(labelled.getMetadata().getResourceVersion()).isNotEqualTo(specWritten.getMetadata().getResourceVersion());

        SignedBpfProgram unchanged = api.client().resources(SignedBpfProgram.class).withName("counter").patch(MERGE, """
                {"spec": {"enforcement": "Agent"}}""");
        assertThat(unchanged.getMetadata().getResourceVersion()).as("a write that changes nothing")
                .isEqualTo(labelled.getMetadata().getResourceVersion());
    }

    @Test
    void deletionHeldByAFinalizerBumpsTheGenerationAndTakesNoNewFinalizer() {
        api = MockApiServer.start();
        SignedBpfProgram program = counter();
        program.getMetadata().setFinalizers(List.of("sigil.dev/node-unload"));
        api.client().resource(program).create();

        api.client().resources(SignedBpfProgram.class).withName("counter").delete();
        SignedBpfProgram marked = api.client().resources(SignedBpfProgram.class).withName("counter").get();
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(marked.getMetadata().getGeneration()).isEqualTo(2);

        Status refused = refusal(() -> api.client().resources(SignedBpfProgram.class).withName("counter").patch(MERGE, """
                {"metadata": {"finalizers": ["sigil.dev/node-unload", "example.com/late"]}}"""));
        assertThat(refused.getMessage()).contains("metadata.finalizers: Forbidden: no new finalizers can be added "
                + "if the object is being deleted, found new finalizers []string{\"example.com/late\"}");
    }

    @Test
    void updatesNeedTheCurrentResourceVersion() throws Exception {
        api = MockApiServer.start();
        SignedBpfProgram created = api.client().resource(counter()).create();
        api.client().resources(SignedBpfProgram.class).withName("counter").patch(MERGE, """
                {"spec": {"enforcement": "Agent"}}""");

        KubernetesClientException stale = catchClientException(() -> api.client().resource(created).update());
        assertThat(stale.getCode()).isEqualTo(409);

        // Fabric8's update() fills in the latest resourceVersion when there is none; a PUT as kubectl replace sends it.
        created.getMetadata().setResourceVersion(null);
        HttpResponse<String> unconditional = put("/apis/sigil.dev/v1alpha1/signedbpfprograms/counter", created);
        assertThat(unconditional.code()).isEqualTo(422);
        assertThat(SERIALIZATION.unmarshal(unconditional.body(), Status.class).getMessage()).endsWith(
                "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
    }

    @Test
    void refusesACrdWhoseDefaultDoesNotFitItsSchema() {
        String yesForAString = CommittedCrds.text("signedbpfprograms.sigil.dev-v1.yml")
                .replace("default: \"Auto\"", "default: yes");
        api = MockApiServer.start(List.of());

        Status refused = refusal(() -> api.client().resource(
                SERIALIZATION.convertValue(GoYaml.read(yesForAString), CustomResourceDefinition.class)).create());

        assertThat(refused.getMessage()).startsWith("CustomResourceDefinition.apiextensions.k8s.io \"signedbpfprograms.sigil.dev\" is invalid")
                .contains("properties[spec].properties[enforcement].default");
    }

    private static final String WIDGETS = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.test.sigil.dev}
            spec:
              group: test.sigil.dev
              names: {kind: Widget, plural: widgets, singular: widget}
              scope: Cluster
              versions:
              - name: v1
                served: true
                storage: true
                subresources: {status: {}}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          owner:
                            type: string
                            x-kubernetes-validations:
                            - {rule: "self == oldSelf", message: owner is immutable}
                          ports:
                            type: array
                            x-kubernetes-list-type: map
                            x-kubernetes-list-map-keys: [name]
                            items:
                              type: object
                              required: [name]
                              properties:
                                name: {type: string}
                                number:
                                  type: integer
                                  x-kubernetes-validations:
                                  - {rule: "self >= oldSelf", message: a port number only grows}
            """;

    @Test
    void evaluatesTransitionRulesAgainstTheOldValueAtTheSamePlace() {
        api = MockApiServer.start(List.of(SERIALIZATION.convertValue(GoYaml.read(WIDGETS), CustomResourceDefinition.class)));
        var widgets = api.client().genericKubernetesResources("test.sigil.dev/v1", "Widget");
        widgets.resource(widget("{owner: ann, ports: [{name: http, number: 80}, {name: tls, number: 443}]}")).create();

        Status owner = refusal(() -> widgets.withName("w").patch(MERGE, "{\"spec\": {\"owner\": \"bob\"}}"));
        assertThat(owner.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getMessage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.owner", "Invalid value: \"string\": owner is immutable"));

        widgets.withName("w").patch(MERGE, "{\"spec\": {\"ports\": [{\"name\": \"tls\", \"number\": 443}, "
                + "{\"name\": \"http\", \"number\": 81}, {\"name\": \"new\", \"number\": 1}]}}");
        Status shrunk = refusal(() -> widgets.withName("w").patch(MERGE,
                "{\"spec\": {\"ports\": [{\"name\": \"http\", \"number\": 79}]}}"));
        assertThat(shrunk.getDetails().getCauses()).extracting(StatusCause::getField)
                .as("http is matched to its old entry by key, wherever it sits in the list")
                .containsExactly("spec.ports[0].number");
    }

    private static GenericKubernetesResource widget(String specYaml) {
        return SERIALIZATION.convertValue(GoYaml.read("{apiVersion: test.sigil.dev/v1, kind: Widget, metadata: {name: w}, spec: "
                + specYaml + "}"), GenericKubernetesResource.class);
    }

    private HttpResponse<String> put(String path, Object body) throws Exception {
        HttpClient http = api.client().getHttpClient();
        return http.sendAsync(http.newHttpRequestBuilder()
                .uri(api.client().getMasterUrl().toString().replaceAll("/$", "") + path)
                .put("application/json", SERIALIZATION.asJson(body))
                .build(), String.class).get();
    }

    private SignedBpfProgram patchStatus(String name, String patch) {
        return api.client().resources(SignedBpfProgram.class).withName(name).subresource("status").patch(MERGE, patch);
    }

    private static SignedBpfProgram counter() {
        return SERIALIZATION.convertValue(counterJson(), SignedBpfProgram.class);
    }

    private static com.fasterxml.jackson.databind.JsonNode counterJson() {
        return Fixtures.read("valid", "counter.yaml");
    }

    static Status refusal(ThrowingCallable call) {
        return catchClientException(call).getStatus();
    }

    static KubernetesClientException catchClientException(ThrowingCallable call) {
        return (KubernetesClientException) assertThatThrownBy(call).isInstanceOf(KubernetesClientException.class).actual();
    }
}
