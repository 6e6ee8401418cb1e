package dev.sigil.charts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Answers "may this service account do that?" from the rendered Roles, ClusterRoles and bindings,
 * with the API server's RBAC rules: a RoleBinding grants only in its namespace, resourceNames never
 * match create, {@code *} matches anything.
 */
final class Rbac {
    record Request(String verb, String apiGroup, String resource, String namespace, String name) {
        static Request cluster(String verb, String apiGroup, String resource) {
            return new Request(verb, apiGroup, resource, null, null);
        }

        static Request namespaced(String verb, String apiGroup, String resource, String namespace) {
            return new Request(verb, apiGroup, resource, namespace, null);
        }

        Request named(String objectName) {
            return new Request(verb, apiGroup, resource, namespace, objectName);
        }
    }

    private final RenderedChart chart;

    Rbac(RenderedChart chart) {
        this.chart = chart;
    }

    boolean allows(String serviceAccountNamespace, String serviceAccount, Request request) {
        for (JsonNode binding : bindings()) {
            boolean namespacedBinding = binding.path("kind").asText().equals("RoleBinding");
            String bindingNamespace = binding.at("/metadata/namespace").asText(null);
            if (namespacedBinding && !bindingNamespace.equals(request.namespace())) {
                continue;
            }
            if (!bindsServiceAccount(binding, serviceAccountNamespace, serviceAccount)) {
                continue;
            }
            JsonNode role = role(binding.path("roleRef"), bindingNamespace);
            for (JsonNode rule : role.path("rules")) {
                if (matches(rule, request)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every rule of every rendered role, for checks that apply to all of them. */
    List<JsonNode> allRules() {
        return roles().stream().flatMap(role -> StreamSupport.stream(role.path("rules").spliterator(), false)).toList();
    }

    private List<JsonNode> bindings() {
        return chart.documents().stream()
                .filter(doc -> List.of("RoleBinding", "ClusterRoleBinding").contains(doc.path("kind").asText()))
                .toList();
    }

    private List<JsonNode> roles() {
        return chart.documents().stream()
                .filter(doc -> List.of("Role", "ClusterRole").contains(doc.path("kind").asText()))
                .toList();
    }

    private static boolean bindsServiceAccount(JsonNode binding, String namespace, String name) {
        for (JsonNode subject : binding.path("subjects")) {
            if (subject.path("kind").asText().equals("ServiceAccount") && subject.path("name").asText().equals(name)
                    && subject.path("namespace").asText().equals(namespace)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode role(JsonNode roleRef, String bindingNamespace) {
        String kind = roleRef.path("kind").asText();
        String name = roleRef.path("name").asText();
        return roles().stream()
                .filter(role -> role.path("kind").asText().equals(kind) && role.at("/metadata/name").asText().equals(name))
                .filter(role -> kind.equals("ClusterRole") || role.at("/metadata/namespace").asText().equals(bindingNamespace))
                .findFirst()
                .orElseThrow(() -> new AssertionError("binding refers to " + kind + " " + name + ", which is not rendered"));
    }

    private static boolean matches(JsonNode rule, Request request) {
        if (!RuleValues.match(rule.path("apiGroups"), request.apiGroup())
                || !RuleValues.match(rule.path("resources"), request.resource())
                || !RuleValues.match(rule.path("verbs"), request.verb())) {
            return false;
        }
        JsonNode names = rule.path("resourceNames");
        if (names.isMissingNode() || names.isEmpty()) {
            return true;
        }
        return request.name() != null && !request.verb().equals("create") && RuleValues.match(names, request.name());
    }
}
