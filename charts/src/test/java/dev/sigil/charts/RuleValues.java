package dev.sigil.charts;

import com.fasterxml.jackson.databind.JsonNode;

/** A list of an RBAC or admission rule (verbs, apiGroups, resources, operations): {@code *} matches anything. */
final class RuleValues {
    private RuleValues() {
    }

    static boolean match(JsonNode values, String value) {
        for (JsonNode candidate : values) {
            if (candidate.asText().equals("*") || candidate.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
