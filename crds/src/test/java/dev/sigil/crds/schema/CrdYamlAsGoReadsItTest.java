package dev.sigil.crds.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The committed CRDs read as kubectl reads them (YAML 1.1, {@link GoYaml}): every key is a string, and every
 * enum value, default and example has the type its schema declares. An unquoted {@code True} in a string enum
 * is a boolean there, and the API server then refuses the string "True" in every write.
 */
class CrdYamlAsGoReadsItTest {
    private static final Set<String> TYPED_VALUES = Set.of("enum", "default", "example");
    static final List<String> FILES = GeneratedCrds.FILE_NAMES;

    @ParameterizedTest
    @FieldSource("FILES")
    void everyKeyIsAString(String file) {
        List<String> nonStringKeys = new ArrayList<>();
        walk(GoYaml.load(CommittedCrds.text(file)), "", (path, map) -> map.keySet().stream()
                .filter(key -> !(key instanceof String))
                .forEach(key -> nonStringKeys.add(path + ": key " + describe(key))));

        assertThat(nonStringKeys).as("keys a Go client reads as something other than a string in crds/%s", file).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void everyEnumValueDefaultAndExampleHasItsSchemaType(String file) {
        List<String> mistyped = new ArrayList<>();
        walk(GoYaml.load(CommittedCrds.text(file)), "", (path, schema) -> {
            if (!(schema.get("type") instanceof String type)) {
                return;
            }
            for (String keyword : TYPED_VALUES) {
                Object value = schema.get(keyword);
                List<?> values = keyword.equals("enum") && value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
                for (Object item : values) {
                    if (!hasType(item, type)) {
                        mistyped.add(path + "." + keyword + ": " + describe(item) + " where the type is " + type);
                    }
                }
            }
        });

        assertThat(mistyped).as("values a Go client reads with the wrong type in crds/%s (quote them)", file).isEmpty();
    }

    private static boolean hasType(Object value, String type) {
        return switch (type) {
            case "string" -> value instanceof String;
            case "integer" -> value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
            case "number" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            default -> throw new IllegalArgumentException("unknown schema type " + type);
        };
    }

    private static String describe(Object value) {
        return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    private interface MapVisitor {
        void visit(String path, Map<?, ?> map);
    }

    private static void walk(Object node, String path, MapVisitor visitor) {
        if (node instanceof Map<?, ?> map) {
            visitor.visit(path, map);
            map.forEach((key, value) -> walk(value, path.isEmpty() ? String.valueOf(key) : path + "." + key, visitor));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", visitor);
            }
        }
    }
}
