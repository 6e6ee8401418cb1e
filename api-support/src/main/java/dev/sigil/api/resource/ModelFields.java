package dev.sigil.api.resource;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The properties of an API model class as the API names them: its fields, each under its {@code @JsonProperty}
 * name or else its own (Jackson's and the CRD generator's reading), {@code @JsonIgnore}d and static fields left
 * out. The one place that knows how the reader and the rules see a model class; cached per class.
 */
final class ModelFields {
    private static final ClassValue<Map<String, Field>> PROPERTIES = new ClassValue<>() {
        @Override
        protected Map<String, Field> computeValue(Class<?> type) {
            return properties(type);
        }
    };

    private ModelFields() {
    }

    /** Property name to field, in declaration order (superclass fields first). */
    static Map<String, Field> of(Class<?> type) {
        return PROPERTIES.get(type);
    }

    /** Whether the reader maps {@code type} field by field: a class of the API model or Kubernetes' own. */
    static boolean isModel(Class<?> type) {
        String name = type.getName();
        return !type.isEnum() && !type.isPrimitive()
                && (name.startsWith("dev.sigil.crds.") || name.startsWith("io.fabric8.kubernetes.api.model."));
    }

    /** The element type of a {@code List<E>} or the value type of a {@code Map<String, V>} field. */
    static Class<?> typeArgument(Field field, int index) {
        Type generic = field.getGenericType();
        if (generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[index] instanceof Class<?> argument) {
            return argument;
        }
        throw new IllegalStateException(field + " has no concrete type argument " + index);
    }

    static Object get(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static void set(Field field, Object owner, Object value) {
        try {
            field.set(owner, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object instantiate(Class<?> type) {
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " has no usable no-argument constructor", e);
        }
    }

    private static Map<String, Field> properties(Class<?> type) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.addFirst(c);
        }
        Map<String, Field> properties = new LinkedHashMap<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()
                        || field.isAnnotationPresent(JsonIgnore.class)) {
                    continue;
                }
                JsonProperty property = field.getAnnotation(JsonProperty.class);
                field.setAccessible(true);
                properties.put(property != null && !property.value().isEmpty() ? property.value() : field.getName(), field);
            }
        }
        return Collections.unmodifiableMap(properties);
    }
}
