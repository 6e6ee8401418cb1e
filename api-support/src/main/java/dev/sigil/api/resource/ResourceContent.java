package dev.sigil.api.resource;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a SignedBpfProgram says, as one value compared exactly: its {@code metadata.name} and its whole spec, every
 * instance field of every object in it (not only those the API names: nothing a reader of the spec could look at is
 * left out), value by value in a fixed order, each object under its class, each list and map with its size. Two
 * resources of equal content break the same rules ({@link ResourceRules}) and read the same for verification, so what
 * was derived from one holds for the other: this is what lets an agent check a resource it applies again only once.
 *
 * <p>Strings, numbers, booleans, characters and enum constants are kept as they are (immutable: the strings are the
 * resource's own, compared by {@code equals}, at once when they are the same instances); nothing is hashed, so no
 * two different contents can compare equal. A resource holding a value of any other type (which the API's model does
 * not) has no content: nothing is then remembered for it.
 */
public final class ResourceContent {
    private static final Object LIST = new Object() {
        @Override
        public String toString() {
            return "list";
        }
    };
    private static final Object MAP = new Object() {
        @Override
        public String toString() {
            return "map";
        }
    };
    private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            return instanceFields(type);
        }
    };

    private final Object[] values;
    private final int hash;
    private final long characters;

    private ResourceContent(Object[] values) {
        this.values = values;
        this.hash = Arrays.hashCode(values);
        long length = 0;
        for (Object value : values) {
            if (value instanceof String text) {
                length += text.length();
            }
        }
        this.characters = length;
    }

    /** The resource's content; empty when it holds a value this class does not know to be immutable. */
    public static Optional<ResourceContent> of(SignedBpfProgram resource) {
        List<Object> values = new ArrayList<>(128);
        values.add(resource.getMetadata() == null ? null : resource.getMetadata().getName());
        return add(resource.getSpec(), values) ? Optional.of(new ResourceContent(values.toArray())) : Optional.empty();
    }

    /** The characters of all its strings together: what keeping it holds on to (the strings are the resource's). */
    public long characters() {
        return characters;
    }

    /** False when {@code value} holds a value of a type not known to be immutable. */
    private static boolean add(Object value, List<Object> values) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Character
                || value instanceof Enum<?> || value instanceof Number number && isBoxed(number)) {
            values.add(value);
            return true;
        }
        if (value instanceof List<?> list) {
            values.add(LIST);
            values.add(list.size());
            for (Object element : list) {
                if (!add(element, values)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            values.add(MAP);
            values.add(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!add(entry.getKey(), values) || !add(entry.getValue(), values)) {
                    return false;
                }
            }
            return true;
        }
        if (!ModelFields.isModel(value.getClass())) {
            return false;
        }
        values.add(value.getClass());
        for (Field field : FIELDS.get(value.getClass())) {
            if (!add(ModelFields.get(field, value), values)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBoxed(Number number) {
        return number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte
                || number instanceof Double || number instanceof Float;
    }

    /** Every instance field, superclass fields first, each class's in declaration order. */
    private static Field[] instanceFields(Class<?> type) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.addFirst(c);
        }
        List<Field> fields = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
        }
        return fields.toArray(Field[]::new);
    }

    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof ResourceContent content && content.hash == hash
                && Arrays.equals(content.values, values);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
