package dev.sigil.crds.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an object the way the API server checks a custom resource, in its three steps: the OpenAPI v3
 * structural schema (with networknt's JSON-schema validator), the Kubernetes list extensions
 * ({@code x-kubernetes-list-type} map/set uniqueness), then every {@code x-kubernetes-validations}
 * CEL rule (with cel-java) with {@code self} bound to the value at the rule's place.
 *
 * <p>Unknown fields are violations, as under {@code kubectl}'s default strict field validation, so
 * a misspelt field fails here instead of being silently pruned by the server.
 */
public final class CrdSchemaValidator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String VALIDATIONS = "x-kubernetes-validations";

    private final JsonNode openApiSchema;
    private final JsonSchema structuralSchema;
    private final CelCompiler celCompiler = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build();
    private final CelRuntime celRuntime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    private final Map<String, CelRuntime.Program> programs = new HashMap<>();

    public CrdSchemaValidator(CustomResourceDefinition crd) {
        if (crd.getSpec().getVersions().size() != 1) {
            throw new IllegalArgumentException(crd.getMetadata().getName() + ": expected one served version");
        }
        this.openApiSchema = MAPPER.valueToTree(crd.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema());
        this.structuralSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(toJsonSchema(openApiSchema, true));
        openApiSchema.findValues(VALIDATIONS).forEach(rules -> rules.forEach(rule -> program(rule.path("rule").asText())));
    }

    /** The distinct CEL rules of the CRD, each compiled when this validator was made. */
    public Set<String> celRules() {
        return programs.keySet();
    }

    public List<Violation> validate(JsonNode object) {
        List<Violation> violations = new ArrayList<>();
        for (ValidationMessage message : structuralSchema.validate(object)) {
            violations.add(new Violation(message.getInstanceLocation().toString(), message.getError()));
        }
        if (violations.isEmpty()) {
            checkExtensions(openApiSchema, object, "$", violations);
        }
        violations.sort(Comparator.comparing(Violation::path).thenComparing(Violation::message));
        return violations;
    }

    /** OpenAPI v3 as Kubernetes uses it, turned into draft-4 JSON schema with strict field checking. */
    private static JsonNode toJsonSchema(JsonNode openApi, boolean root) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        openApi.properties().forEach(field -> {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.startsWith("x-kubernetes-") || key.equals("default")) {
                return;
            }
            switch (key) {
                case "properties" -> {
                    ObjectNode properties = schema.putObject("properties");
                    value.properties().forEach(p -> properties.set(p.getKey(), toJsonSchema(p.getValue(), false)));
                }
                case "items", "additionalProperties" ->
                        schema.set(key, value.isObject() ? toJsonSchema(value, false) : value);
                default -> schema.set(key, value);
            }
        });
        if (root) {
            ObjectNode properties = schema.withObject("properties");
            properties.putObject("apiVersion").put("type", "string");
            properties.putObject("kind").put("type", "string");
            properties.putObject("metadata").put("type", "object");
        }
        boolean preservesUnknown = openApi.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (schema.has("properties") && !schema.has("additionalProperties") && !preservesUnknown) {
            schema.put("additionalProperties", false);
        }
        return schema;
    }

    private void checkExtensions(JsonNode schema, JsonNode value, String path, List<Violation> violations) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        checkListType(schema, value, path, violations);
        for (JsonNode rule : schema.path(VALIDATIONS)) {
            if (!evaluate(rule.path("rule").asText(), value, path)) {
                violations.add(new Violation(path, rule.path("message").asText(rule.path("rule").asText())));
            }
        }
        if (value.isObject()) {
            schema.path("properties").properties().forEach(p ->
                    checkExtensions(p.getValue(), value.get(p.getKey()), path + "." + p.getKey(), violations));
            JsonNode additional = schema.path("additionalProperties");
            if (additional.isObject()) {
                value.properties().forEach(entry ->
                        checkExtensions(additional, entry.getValue(), path + "." + entry.getKey(), violations));
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkExtensions(schema.path("items"), value.get(i), path + "[" + i + "]", violations);
            }
        }
    }

    private static void checkListType(JsonNode schema, JsonNode value, String path, List<Violation> violations) {
        String listType = schema.path("x-kubernetes-list-type").asText("atomic");
        if (!value.isArray() || listType.equals("atomic")) {
            return;
        }
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode key = listType.equals("map") ? mapKey(schema, value.get(i)) : value.get(i);
            if (!seen.add(key)) {
                violations.add(new Violation(path + "[" + i + "]", "Duplicate value: " + key));
            }
        }
    }

    private static JsonNode mapKey(JsonNode schema, JsonNode item) {
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        for (JsonNode keyField : schema.path("x-kubernetes-list-map-keys")) {
            key.set(keyField.asText(), item.get(keyField.asText()));
        }
        return key;
    }

    private boolean evaluate(String rule, JsonNode self, String path) {
        try {
            return (Boolean) program(rule).eval(Map.of("self", toCelValue(self)));
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("CEL rule at " + path + " failed to evaluate: " + rule, e);
        }
    }

    private CelRuntime.Program program(String rule) {
        CelRuntime.Program program = programs.get(rule);
        if (program != null) {
            return program;
        }
        try {
            program = celRuntime.createProgram(celCompiler.compile(rule).getAst());
        } catch (CelValidationException e) {
            throw new IllegalStateException("CEL rule does not compile: " + rule + "\n" + e.getMessage(), e);
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("CEL rule cannot be planned: " + rule, e);
        }
        programs.put(rule, program);
        return program;
    }

    /** JSON values as CEL sees them: maps, lists, int64, double, string, bool. */
    private static Object toCelValue(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(p -> {
                if (!p.getValue().isNull()) {
                    map.put(p.getKey(), toCelValue(p.getValue()));
                }
            });
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toCelValue(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
