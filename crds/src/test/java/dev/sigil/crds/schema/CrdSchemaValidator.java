package dev.sigil.crds.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a custom resource the way the API server checks a write, in its steps: nulls dropped and defaults
 * filled, unknown fields pruned ({@link StructuralSchema}); the OpenAPI v3 structural schema (networknt's
 * JSON-schema validator); {@code x-kubernetes-list-type} uniqueness ({@link ListTypes}); every
 * {@code x-kubernetes-validations} CEL rule, transition rules included ({@link CelRules}). Violations carry
 * the API server's field paths, cause reasons and wording.
 */
public final class CrdSchemaValidator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Schema errors after which the API server does not evaluate CEL rules ({@code hasBlockingErr}). */
    private static final Set<String> BLOCKING_CEL = Set.of("FieldValueNotSupported", "FieldValueRequired",
            "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid");

    private final JsonNode openApiSchema;
    private final JsonSchema jsonSchema;
    private final StructuralSchema structural;
    private final CelRules celRules;

    /** The result of admitting a write: the object as it would be stored, what was pruned, what is wrong. */
    public record Admission(JsonNode object, List<String> prunedFields, List<Violation> violations) {
    }

    public CrdSchemaValidator(CustomResourceDefinition crd) {
        if (crd.getSpec().getVersions().size() != 1) {
            throw new IllegalArgumentException(crd.getMetadata().getName() + ": expected one served version");
        }
        this.openApiSchema = MAPPER.valueToTree(crd.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema());
        this.jsonSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(toJsonSchema(openApiSchema));
        this.structural = new StructuralSchema(openApiSchema);
        this.celRules = new CelRules(openApiSchema);
    }

    /** The distinct CEL rules of the CRD, each compiled when this validator was made. */
    public Set<String> celRules() {
        return celRules.rules();
    }

    /**
     * An object as {@code kubectl apply} sends it for creation, with strict field validation (kubectl's
     * default): unknown fields are errors here, not pruned.
     */
    public List<Violation> validate(JsonNode object) {
        List<Violation> violations = new ArrayList<>();
        structural.unknownFields(object).forEach(field -> violations.add(unknownField(field)));
        JsonNode defaulted = object.deepCopy();
        structural.applyDefaults(defaulted);
        violations.addAll(check(defaulted, null));
        return violations;
    }

    /**
     * A create ({@code old} null) or update as the API server admits it: pruned and defaulted, then validated,
     * with transition rules comparing against {@code old}.
     */
    public Admission admit(JsonNode object, JsonNode old) {
        JsonNode stored = object.deepCopy();
        structural.applyDefaults(stored);
        List<String> pruned = structural.prune(stored);
        return new Admission(stored, pruned, check(stored, old));
    }

    /**
     * Defaults that do not satisfy their own schema: the API server refuses such a CRD (a default of
     * {@code yes} for a string field reads as a boolean in YAML 1.1).
     */
    public List<Violation> invalidDefaults() {
        List<Violation> violations = new ArrayList<>();
        collectInvalidDefaults(openApiSchema, "spec.versions[0].schema.openAPIV3Schema", violations);
        return violations;
    }

    private static void collectInvalidDefaults(JsonNode schema, String path, List<Violation> violations) {
        if (schema.has("default")) {
            JsonSchema own = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(toJsonSchema(schema));
            for (ValidationMessage message : own.validate(schema.get("default"))) {
                Violation violation = OpenApiErrors.toViolation(message);
                String inDefault = violation.field().isEmpty() ? "" : "." + violation.field();
                violations.add(new Violation(path + ".default" + inDefault, violation.reason(), violation.message()));
            }
        }
        schema.path("properties").properties().forEach(property ->
                collectInvalidDefaults(property.getValue(), path + ".properties[" + property.getKey() + "]", violations));
        if (schema.path("items").isObject()) {
            collectInvalidDefaults(schema.get("items"), path + ".items", violations);
        }
        if (schema.path("additionalProperties").isObject()) {
            collectInvalidDefaults(schema.get("additionalProperties"), path + ".additionalProperties", violations);
        }
    }

    /** What a strict-field-validation request gets for a field the schema does not declare. */
    public static Violation unknownField(String field) {
        return new Violation(field, "FieldValueUnknown", "unknown field " + Violation.quote(field));
    }

    private List<Violation> check(JsonNode object, JsonNode old) {
        List<Violation> violations = new ArrayList<>();
        for (ValidationMessage message : jsonSchema.validate(object)) {
            violations.add(OpenApiErrors.toViolation(message));
        }
        violations.addAll(ListTypes.check(openApiSchema, object));
        if (celRules.rules().isEmpty()) {
            return violations;
        }
        // As the API server: CEL rules run unless the schema found an error they could trip over.
        if (violations.stream().anyMatch(violation -> BLOCKING_CEL.contains(violation.reason()))) {
            violations.add(new Violation("<nil>", "FieldValueInvalid", "Invalid value: \"null\": some validation rules were "
                    + "not checked because the object was invalid; correct the existing errors to complete validation"));
        } else {
            violations.addAll(celRules.check(object, old));
        }
        return violations;
    }

    /**
     * OpenAPI v3 as Kubernetes uses it, as draft-4 JSON schema. Unknown fields are the pruning's business,
     * so they are no error here; the Kubernetes extensions and defaults are left to the other steps.
     */
    private static JsonNode toJsonSchema(JsonNode openApi) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        openApi.properties().forEach(field -> {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.startsWith("x-kubernetes-") || key.equals("default") || key.equals("nullable")) {
                return;
            }
            switch (key) {
                case "properties" -> {
                    ObjectNode properties = schema.putObject("properties");
                    value.properties().forEach(p -> properties.set(p.getKey(), toJsonSchema(p.getValue())));
                }
                case "items", "additionalProperties" -> schema.set(key, value.isObject() ? toJsonSchema(value) : value);
                default -> schema.set(key, value);
            }
        });
        if (openApi.path("nullable").asBoolean(false) && schema.has("type")) {
            schema.set("type", JsonNodeFactory.instance.arrayNode().add(schema.get("type")).add("null"));
        }
        return schema;
    }
}
