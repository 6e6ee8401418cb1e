package dev.sigil.charts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rendered ValidatingAdmissionPolicy evaluated the way the API server does: match constraints
 * (operation, group, resource and subresource), match conditions, then variables in order, then each
 * validation, with cel-java and the CEL libraries Kubernetes adds that Sigil's policies use (optional
 * values, string join). As in the API server, {@code object} and {@code oldObject} are untyped maps.
 */
final class AdmissionPolicy {
    /** What the policy decided: whether it applied at all, and the messages of failed validations. */
    record Decision(boolean matched, List<String> denials) {
        boolean admitted() {
            return denials.isEmpty();
        }
    }

    /** The admission request's fields that Sigil's policies read. {@code subResource} is "" for the main resource. */
    record Request(String username, Map<String, List<String>> extra, String operation, String group, String resource,
            String subResource) {
        static Request by(String username, String operation, String group, String resource) {
            return new Request(username, Map.of(), operation, group, resource, "");
        }

        Request withExtra(Map<String, List<String>> claims) {
            return new Request(username, claims, operation, group, resource, subResource);
        }

        Request onSubresource(String name) {
            return new Request(username, extra, operation, group, resource, name);
        }

        Map<String, Object> asCel() {
            return Map.of("userInfo", Map.of("username", username, "extra", extra),
                    "operation", operation,
                    "resource", Map.of("group", group, "resource", resource),
                    "subResource", subResource);
        }

        String resourceWithSubresource() {
            return subResource.isEmpty() ? resource : resource + "/" + subResource;
        }
    }

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.optional(), CelExtensions.strings())
            .addVar("request", SimpleType.DYN)
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("variables", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.optional(), CelExtensions.strings())
            .build();

    private final JsonNode spec;

    AdmissionPolicy(JsonNode policy) {
        this.spec = policy.path("spec");
    }

    /** A CREATE: there is no old object. */
    Decision admit(Request request, Map<String, Object> object) {
        return admit(request, object, null);
    }

    /** @param oldObject the object before an UPDATE, or {@code null} */
    Decision admit(Request request, Map<String, Object> object, Map<String, Object> oldObject) {
        if (!constrainedTo(request)) {
            return new Decision(false, List.of());
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        Map<String, Object> activation = new LinkedHashMap<>();
        activation.put("request", mutableCopy(request.asCel()));
        activation.put("object", mutableCopy(object));
        if (oldObject != null) {
            activation.put("oldObject", mutableCopy(oldObject));
        }
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

    private boolean constrainedTo(Request request) {
        for (JsonNode rule : spec.path("matchConstraints").path("resourceRules")) {
            if (RuleValues.match(rule.path("apiGroups"), request.group())
                    && RuleValues.match(rule.path("operations"), request.operation())
                    && RuleValues.match(rule.path("resources"), request.resourceWithSubresource())) {
                return true;
            }
        }
        return false;
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
