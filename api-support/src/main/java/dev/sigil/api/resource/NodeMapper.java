package dev.sigil.api.resource;

import dev.sigil.signing.Messages;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Maps a YAML node tree onto the API model, field by field as {@link ModelFields} names them, with the types the
 * schema gives them: a string is a string (a YAML 1.1 {@code yes} or {@code 12} is not one, as for kubectl), integers
 * are decimal and in range, an enum takes one of its values, nothing is null, no key appears twice, and no field is
 * unknown. Every refusal names the line and the field's path, e.g. {@code line 14: spec.programs[0].nme}.
 */
final class NodeMapper {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Set<String> TRUE = Set.of("true", "yes", "on");
    private static final Set<String> FALSE = Set.of("false", "no", "off");

    private NodeMapper() {
    }

    /** A mapping node as an instance of the model class {@code type}. */
    static <T> T bean(Node node, Class<T> type, String path) throws ResourceException {
        MappingNode mapping = mapping(node, path);
        T bean = type.cast(ModelFields.instantiate(type));
        Map<String, Field> fields = ModelFields.of(type);
        for (Map.Entry<String, Node> entry : entries(mapping, path).entrySet()) {
            String fieldPath = join(path, entry.getKey());
            Field field = fields.get(entry.getKey());
            if (field == null) {
                throw at(entry.getValue(), fieldPath + " is not a field here; the fields are "
                        + String.join(", ", fields.keySet()));
            }
            ModelFields.set(field, bean, value(entry.getValue(), field, fieldPath));
        }
        return bean;
    }

    /**
     * The entries of a mapping, by key, in order; keys must be strings and distinct. Values are not checked yet:
     * {@code null} values included.
     */
    static Map<String, Node> entries(MappingNode mapping, String path) throws ResourceException {
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = string(tuple.getKeyNode(), join(path, "key"));
            if (entries.putIfAbsent(key, tuple.getValueNode()) != null) {
                throw at(tuple.getKeyNode(), join(path, key) + " appears twice");
            }
        }
        return entries;
    }

    static MappingNode mapping(Node node, String path) throws ResourceException {
        requireNotNull(node, path);
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        throw at(node, path + " must be a map, not " + describe(node));
    }

    static String string(Node node, String path) throws ResourceException {
        return scalar(node, Tag.STR, "a string", path);
    }

    static long integer(Node node, String path) throws ResourceException {
        String text = scalar(node, Tag.INT, "an integer", path);
        if (!DECIMAL.matcher(text).matches()) {
            throw at(node, path + " must be a decimal integer, not '" + Messages.shown(text) + "'");
        }
        try {
            return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw at(node, path + " is " + Messages.shown(text) + ", beyond what a 64-bit integer holds");
        }
    }

    private static Object value(Node node, Field field, String path) throws ResourceException {
        Class<?> type = field.getType();
        if (type == List.class) {
            return list(node, ModelFields.typeArgument(field, 0), path);
        }
        if (type == Map.class) {
            return stringMap(node, path);
        }
        return single(node, type, path);
    }

    private static Object single(Node node, Class<?> type, String path) throws ResourceException {
        if (type == String.class) {
            return string(node, path);
        }
        if (type == boolean.class || type == Boolean.class) {
            return bool(node, path);
        }
        if (type == long.class || type == Long.class) {
            return integer(node, path);
        }
        if (type == int.class || type == Integer.class) {
            long value = integer(node, path);
            if (value != (int) value) {
                throw at(node, path + " is " + value + ", beyond what a 32-bit integer holds");
            }
            return (int) value;
        }
        if (type.isEnum()) {
            return enumValue(node, type, path);
        }
        if (ModelFields.isModel(type)) {
            return bean(node, type, path);
        }
        throw new IllegalStateException(path + ": the reader does not map " + type);
    }

    private static List<Object> list(Node node, Class<?> elementType, String path) throws ResourceException {
        requireNotNull(node, path);
        if (!(node instanceof SequenceNode sequence)) {
            throw at(node, path + " must be a list, not " + describe(node));
        }
        List<Object> list = new ArrayList<>(sequence.getValue().size());
        for (Node element : sequence.getValue()) {
            list.add(single(element, elementType, path + "[" + list.size() + "]"));
        }
        return list;
    }

    static Map<String, String> stringMap(Node node, String path) throws ResourceException {
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, Node> entry : entries(mapping(node, path), path).entrySet()) {
            map.put(entry.getKey(), string(entry.getValue(), join(path, entry.getKey())));
        }
        return map;
    }

    private static boolean bool(Node node, String path) throws ResourceException {
        String text = scalar(node, Tag.BOOL, "true or false", path).toLowerCase(Locale.ROOT);
        if (TRUE.contains(text)) {
            return true;
        }
        if (FALSE.contains(text)) {
            return false;
        }
        throw at(node, path + " must be true or false, not '" + Messages.shown(text) + "'");
    }

    private static Object enumValue(Node node, Class<?> type, String path) throws ResourceException {
        String text = string(node, path);
        for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(text)) {
                return constant;
            }
        }
        throw at(node, path + " is '" + Messages.shown(text) + "', not one of " + Arrays.stream(type.getEnumConstants())
                .map(constant -> ((Enum<?>) constant).name()).collect(Collectors.joining(", ")));
    }

    private static String scalar(Node node, Tag tag, String expected, String path) throws ResourceException {
        requireNotNull(node, path);
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(tag)) {
            return scalar.getValue();
        }
        throw at(node, path + " must be " + expected + ", not " + describe(node)
                + (node instanceof ScalarNode && tag.equals(Tag.STR) ? " (quote it)" : ""));
    }

    private static void requireNotNull(Node node, String path) throws ResourceException {
        if (node.getTag().equals(Tag.NULL)) {
            throw at(node, path + " is null: leave it out or give it a value");
        }
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        String value = Messages.shown(((ScalarNode) node).getValue());
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "the number " + value;
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + value;
        }
        if (tag.equals(Tag.STR)) {
            return "the string '" + value + "'";
        }
        return "'" + value + "' (YAML type " + YamlDocument.oneLine(tag.getValue()) + ")";
    }

    /**
     * {@code spec} and {@code loader} as {@code spec.loader}; at the top, the key alone. The key is the document's,
     * so it is shown as a value is.
     */
    static String join(String path, String key) {
        return path.isEmpty() ? Messages.shown(key) : path + "." + Messages.shown(key);
    }

    static ResourceException at(Node node, String problem) {
        return new ResourceException("line " + (node.getStartMark().getLine() + 1) + ": " + problem);
    }
}
