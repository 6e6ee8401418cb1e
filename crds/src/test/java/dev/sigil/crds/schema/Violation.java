package dev.sigil.crds.schema;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One reason the API server refuses an object, as it reports it in a 422 Status's {@code details.causes}:
 * the field path ({@code spec.programs[0].name}), the cause reason ({@code FieldValueInvalid}…) and the
 * message, worded as {@code k8s.io/apimachinery/pkg/util/validation/field} words it.
 */
public record Violation(String field, String reason, String message) {
    public static Violation required(String field) {
        return new Violation(field, "FieldValueRequired", "Required value");
    }

    public static Violation forbidden(String field, String detail) {
        return new Violation(field, "FieldValueForbidden", "Forbidden: " + detail);
    }

    public static Violation invalid(String field, Object value, String detail) {
        return new Violation(field, "FieldValueInvalid", "Invalid value: " + goValue(value) + ": " + detail);
    }

    /** As {@link #invalid}, with the bad value already in Go's notation (a map's {@code %#v}, {@code 0x0}). */
    public static Violation invalidGoValue(String field, String goFormattedValue, String detail) {
        return new Violation(field, "FieldValueInvalid", "Invalid value: " + goFormattedValue + ": " + detail);
    }

    public static Violation typeInvalid(String field, Object value, String detail) {
        return new Violation(field, "FieldValueTypeInvalid", "Invalid value: " + goValue(value) + ": " + detail);
    }

    public static Violation notSupported(String field, Object value, List<String> supported) {
        return new Violation(field, "FieldValueNotSupported", "Unsupported value: " + goValue(value)
                + ": supported values: " + supported.stream().map(Violation::quote).collect(Collectors.joining(", ")));
    }

    public static Violation tooLong(String field, long maxBytes) {
        return new Violation(field, "FieldValueTooLong",
                "Too long: may not be more than " + maxBytes + (maxBytes == 1 ? " byte" : " bytes"));
    }

    public static Violation tooMany(String field, long actual, long max) {
        return new Violation(field, "FieldValueTooMany", "Too many: " + actual + ": must have at most " + max + " items");
    }

    public static Violation duplicate(String field, String goFormattedValue) {
        return new Violation(field, "FieldValueDuplicate", "Duplicate value: " + goFormattedValue);
    }

    public static Violation notFound(String field, Object value) {
        return new Violation(field, "FieldValueNotFound", "Not found: " + goValue(value));
    }

    /** A bad value as Go's {@code field.Error} prints it: strings quoted ({@code %q}), numbers and booleans bare. */
    public static String goValue(Object value) {
        if (value == null) {
            return "\"null\"";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return goNumber(value);
        }
        return quote(value.toString());
    }

    /** Go's {@code %q}. */
    public static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\x%02x", c));
                    } else {
                        quoted.appendCodePoint(c);
                    }
                }
            }
        });
        return quoted.append('"').toString();
    }

    private static String goNumber(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return String.valueOf(d.longValue());
        }
        return value.toString();
    }

    /** As Go's {@code field.Error.Error()}: {@code spec.hash: Invalid value: …}. */
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
