package dev.sigil.crds.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the API server does to a custom resource before it validates it, following the CRD's structural
 * schema: nulls in fields that are not nullable are dropped (or replaced by the field's default), defaults
 * fill absent fields, and fields the schema does not declare are pruned.
 */
final class StructuralSchema {
    private static final Set<String> OBJECT_HEADER = Set.of("apiVersion", "kind", "metadata");
    private static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";
    private static final String EMBEDDED_RESOURCE = "x-kubernetes-embedded-resource";

    private final JsonNode root;

    StructuralSchema(JsonNode openApiV3Schema) {
        this.root = openApiV3Schema;
    }

    /** Paths of the fields a write with {@code fieldValidation=Strict} refuses and any other write prunes. */
    List<String> unknownFields(JsonNode object) {
        List<String> unknown = new ArrayList<>();
        walkUnknown(root, object, "", true, unknown, false);
        return unknown;
    }

    /** Removes the unknown fields from the object, returning their paths. */
    List<String> prune(JsonNode object) {
        List<String> pruned = new ArrayList<>();
        walkUnknown(root, object, "", true, pruned, true);
        return pruned;
    }

    /** Drops nulls the schema does not allow and fills defaults, in place. */
    void applyDefaults(JsonNode object) {
        defaults(root, object);
    }

    private static void walkUnknown(JsonNode schema, JsonNode value, String path, boolean resourceRoot,
            List<String> unknown, boolean remove) {
        if (value instanceof ObjectNode object) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            boolean keepsUnknown = schema.path(PRESERVE_UNKNOWN).asBoolean(false);
            boolean keepsHeader = resourceRoot || schema.path(EMBEDDED_RESOURCE).asBoolean(false);
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String childPath = path.isEmpty() ? name : path + "." + name;
                if (keepsHeader && OBJECT_HEADER.contains(name)) {
                    continue;
                }
                if (properties.has(name)) {
                    walkUnknown(properties.get(name), object.get(name), childPath, false, unknown, remove);
                } else if (additional.isObject()) {
                    walkUnknown(additional, object.get(name), childPath, false, unknown, remove);
                } else if (!keepsUnknown) {
                    unknown.add(childPath);
                    if (remove) {
                        object.remove(name);
                    }
                }
            }
        } else if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                walkUnknown(schema.path("items"), array.get(i), path + "[" + i + "]", false, unknown, remove);
            }
        }
    }

    private static void defaults(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode object) {
            schema.path("properties").properties().forEach(property -> {
                JsonNode fieldSchema = property.getValue();
                JsonNode field = object.get(property.getKey());
                boolean disallowedNull = field != null && field.isNull() && !fieldSchema.path("nullable").asBoolean(false);
                if ((field == null || disallowedNull) && fieldSchema.has("default")) {
                    object.set(property.getKey(), fieldSchema.get("default").deepCopy());
                } else if (disallowedNull) {
                    object.remove(property.getKey());
                }
            });
            object.properties().forEach(field -> {
                JsonNode fieldSchema = schema.path("properties").has(field.getKey())
                        ? schema.path("properties").get(field.getKey())
                        : schema.path("additionalProperties");
                defaults(fieldSchema, field.getValue());
            });
        } else if (value instanceof ArrayNode array) {
            array.forEach(item -> defaults(schema.path("items"), item));
        }
    }
}
