package dev.sigil.crds.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * networknt's schema errors in the API server's words: kube-openapi's messages ({@code spec.hash in body
 * should match '^sha256:…'}) under the field error types the apiextensions server maps them to.
 */
final class OpenApiErrors {
    private OpenApiErrors() {
    }

    static Violation toViolation(ValidationMessage message) {
        String field = fieldPath(message);
        JsonNode value = message.getInstanceNode();
        JsonNode constraint = message.getSchemaNode();
        return switch (message.getType()) {
            case "required" -> Violation.required(join(field, message.getProperty()));
            case "enum" -> Violation.notSupported(field, scalar(value), supportedValues(constraint));
            case "maxLength" -> Violation.tooLong(field, constraint.asLong());
            case "maxItems", "maxProperties" -> Violation.tooMany(field, value.size(), constraint.asLong());
            case "type" -> Violation.typeInvalid(field, jsonType(value),
                    field + " in body must be of type " + typeList(constraint) + ": " + Violation.quote(jsonType(value)));
            case "pattern" -> Violation.invalid(field, scalar(value), field + " in body should match '" + constraint.asText() + "'");
            case "minLength" -> Violation.invalid(field, scalar(value),
                    field + " in body should be at least " + constraint.asLong() + " chars long");
            case "minItems" -> Violation.invalid(field, (long) value.size(), field + " in body should have at least " + constraint.asLong() + " items");
            case "minimum" -> Violation.invalid(field, scalar(value),
                    field + " in body should be greater than or equal to " + Violation.goValue(scalar(constraint)));
            case "maximum" -> Violation.invalid(field, scalar(value),
                    field + " in body should be less than or equal to " + Violation.goValue(scalar(constraint)));
            case "format" -> Violation.invalid(field, scalar(value),
                    field + " in body must be of type " + constraint.asText() + ": " + Violation.quote(value.asText()));
            default -> Violation.invalid(field, scalar(value), field + " in body: " + message.getError());
        };
    }

    /** {@code $.spec.programs[0].name} as the API server writes it: {@code spec.programs[0].name}. */
    private static String fieldPath(ValidationMessage message) {
        String location = message.getInstanceLocation().toString();
        return location.equals("$") ? "" : location.substring(2);
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }

    /** Allowed enum values as the API server lists them: strings as they are, anything else as JSON. */
    private static List<String> supportedValues(JsonNode enumeration) {
        List<String> values = new ArrayList<>();
        enumeration.forEach(item -> values.add(item.isTextual() ? item.asText() : item.toString()));
        return values;
    }

    private static Object scalar(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
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
        return jsonType(node);
    }

    private static String typeList(JsonNode type) {
        return type.isArray() ? type.get(0).asText() : type.asText();
    }

    private static String jsonType(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING, BINARY -> "string";
            case NUMBER -> node.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            case OBJECT, POJO -> "object";
            case NULL, MISSING -> "null";
        };
    }
}
