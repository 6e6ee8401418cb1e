package dev.sigil.charts;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rendered ValidatingAdmissionPolicy evaluated the way the API server does: match conditions,
 * then variables in order, then each validation, with cel-java. Only what Sigil's policies use.
 */
final class AdmissionPolicy {
    /** What the policy decided: whether it applied at all, and the messages of failed validations. */
    record Decision(boolean matched, List<String> denials) {
        boolean admitted() {
            return denials.isEmpty();
        }
    }

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("request", SimpleType.DYN)
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("variables", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final JsonNode spec;

    AdmissionPolicy(JsonNode policy) {
        this.spec = policy.path("spec");
    }

    Decision admit(Map<String, Object> request, Map<String, Object> object) {
        Map<String, Object> variables = new LinkedHashMap<>();
        Map<String, Object> activation = new LinkedHashMap<>();
        activation.put("request", mutableCopy(request));
        activation.put("object", mutableCopy(object));
        activation.put("variables", variables);
        for (JsonNode condition : spec.path("matchConditions")) {
            if (!(Boolean) evaluate(condition.path("expression").asText(), activation)) {
                return new Decision(false, List.of());
            }
        }
        for (JsonNode variable : spec.path("variables")) {
            variables.put(variable.path("name").asText(), evaluate(variable.path("expression").asText(), activation));
        }
        List<String> denials = new ArrayList<>();
        for (JsonNode validation : spec.path("validations")) {
            if (!(Boolean) evaluate(validation.path("expression").asText(), activation)) {
                denials.add(validation.has("messageExpression")
                        ? (String) evaluate(validation.path("messageExpression").asText(), activation)
                        : validation.path("message").asText());
            }
        }
        return new Decision(true, denials);
    }

    /** cel-java dispatches size() and friends on the JDK's ordinary collections, not List.of()/Map.of(). */
    private static Object mutableCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, mutableCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(AdmissionPolicy::mutableCopy).toList());
        }
        return value;
    }

    private static Object evaluate(String expression, Map<String, Object> activation) {
        try {
            return RUNTIME.createProgram(COMPILER.compile(expression).getAst()).eval(activation);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalStateException("CEL expression failed: " + expression + "\n" + e.getMessage(), e);
        }
    }
}
