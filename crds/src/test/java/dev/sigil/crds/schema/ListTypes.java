package dev.sigil.crds.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@code x-kubernetes-list-type} {@code set} and {@code map}: items, or their {@code list-map-keys}, are unique. */
final class ListTypes {
    private ListTypes() {
    }

    static List<Violation> check(JsonNode schema, JsonNode value) {
        List<Violation> violations = new ArrayList<>();
        walk(schema, value, "", violations);
        return violations;
    }

    /** The key fields of a {@code map} list's item, as one comparable value. */
    static JsonNode mapKey(JsonNode listSchema, JsonNode item) {
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        for (JsonNode keyField : listSchema.path("x-kubernetes-list-map-keys")) {
            key.set(keyField.asText(), item.get(keyField.asText()));
        }
        return key;
    }

    private static void walk(JsonNode schema, JsonNode value, String path, List<Violation> violations) {
        if (value == null || schema.isMissingNode()) {
            return;
        }
        if (value.isArray()) {
            String listType = schema.path("x-kubernetes-list-type").asText("atomic");
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                JsonNode identity = listType.equals("map") ? mapKey(schema, item) : item;
                if (!listType.equals("atomic") && !seen.add(identity)) {
                    violations.add(Violation.duplicate(path + "[" + i + "]", goFormatted(identity)));
                }
                walk(schema.path("items"), item, path + "[" + i + "]", violations);
            }
        } else if (value.isObject()) {
            value.properties().forEach(field -> {
                JsonNode fieldSchema = schema.path("properties").has(field.getKey())
                        ? schema.path("properties").get(field.getKey()) : schema.path("additionalProperties");
                walk(fieldSchema, field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), violations);
            });
        }
    }

    /** Go's {@code %#v} of the duplicate: a key map prints as {@code map[string]interface {}{"name":"x"}}. */
    private static String goFormatted(JsonNode value) {
        if (value.isObject()) {
            TreeMap<String, String> fields = new TreeMap<>();
            value.properties().forEach(field -> fields.put(field.getKey(), goFormatted(field.getValue())));
            return fields.entrySet().stream().map(field -> Violation.quote(field.getKey()) + ":" + field.getValue())
                    .collect(Collectors.joining(", ", "map[string]interface {}{", "}"));
        }
        return value.isTextual() ? Violation.quote(value.asText()) : value.toString();
    }
}
