package dev.sigil.crds.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CRD's {@code x-kubernetes-validations} rules, compiled with cel-java and evaluated as the API server
 * does: {@code self} is the value at the rule's place; transition rules (those naming {@code oldSelf}) run
 * only on updates, where the old object has a value at the same place (object fields, and items of
 * {@code map} and {@code set} lists; items of atomic lists have no old value).
 */
final class CelRules {
    private static final String VALIDATIONS = "x-kubernetes-validations";
    private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
    /** Rule keys the API server knows; the ones this class does not implement are refused up front. */
    private static final Set<String> SUPPORTED_KEYS = Set.of("rule", "message");

    private final JsonNode root;
    private final CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build();
    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    private final Map<String, CelRuntime.Program> programs = new HashMap<>();

    CelRules(JsonNode openApiV3Schema) {
        this.root = openApiV3Schema;
        openApiV3Schema.findValues(VALIDATIONS).forEach(rules -> rules.forEach(rule -> {
            rule.fieldNames().forEachRemaining(key -> {
                if (!SUPPORTED_KEYS.contains(key)) {
                    throw new IllegalStateException("x-kubernetes-validations." + key + " is not implemented by "
                            + CelRules.class.getName() + " (rule " + rule.path("rule").asText() + "); implement it before using it");
                }
            });
            compile(rule.path("rule").asText());
        }));
    }

    Set<String> rules() {
        return programs.keySet();
    }

    /** @param old the object before an update, or {@code null} on create */
    List<Violation> check(JsonNode object, JsonNode old) {
        List<Violation> violations = new ArrayList<>();
        walk(root, object, old, "", violations);
        return violations;
    }

    private void walk(JsonNode schema, JsonNode value, JsonNode old, String path, List<Violation> violations) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        for (JsonNode rule : schema.path(VALIDATIONS)) {
            String expression = rule.path("rule").asText();
            boolean transition = OLD_SELF.matcher(expression).find();
            if (transition && (old == null || old.isNull() || old.isMissingNode())) {
                continue;
            }
            if (!evaluate(expression, value, transition ? old : null, path)) {
                violations.add(Violation.invalid(path, schema.path("type").asText("object"),
                        rule.path("message").asText("failed rule: " + expression)));
            }
        }
        if (value.isObject()) {
            JsonNode additional = schema.path("additionalProperties");
            value.properties().forEach(field -> {
                JsonNode fieldSchema = schema.path("properties").has(field.getKey())
                        ? schema.path("properties").get(field.getKey()) : additional;
                JsonNode oldField = old == null ? null : old.get(field.getKey());
                walk(fieldSchema, field.getValue(), oldField, path.isEmpty() ? field.getKey() : path + "." + field.getKey(), violations);
            });
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                walk(schema.path("items"), item, correlatedItem(schema, item, old), path + "[" + i + "]", violations);
            }
        }
    }

    private static JsonNode correlatedItem(JsonNode listSchema, JsonNode item, JsonNode oldList) {
        if (oldList == null || !oldList.isArray()) {
            return null;
        }
        String listType = listSchema.path("x-kubernetes-list-type").asText("atomic");
        for (JsonNode oldItem : oldList) {
            if (listType.equals("set") && oldItem.equals(item)
                    || listType.equals("map") && ListTypes.mapKey(listSchema, oldItem).equals(ListTypes.mapKey(listSchema, item))) {
                return oldItem;
            }
        }
        return null;
    }

    private boolean evaluate(String rule, JsonNode self, JsonNode oldSelf, String path) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("self", toCelValue(self));
        if (oldSelf != null) {
            variables.put("oldSelf", toCelValue(oldSelf));
        }
        try {
            return (Boolean) compile(rule).eval(variables);
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("CEL rule at " + path + " failed to evaluate: " + rule, e);
        }
    }

    private CelRuntime.Program compile(String rule) {
        CelRuntime.Program program = programs.get(rule);
        if (program != null) {
            return program;
        }
        try {
            program = runtime.createProgram(compiler.compile(rule).getAst());
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
