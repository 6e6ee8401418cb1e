package dev.sigil.api.resource;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachUnion;
import dev.sigil.api.SignedSpecs;
import dev.sigil.crds.schema.LabelSelectorSchema;
import dev.sigil.crds.signedbpfprogram.spec.Cgroup;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import dev.sigil.crds.signedbpfprogram.spec.intent.CgroupIntent;
import dev.sigil.crds.signedbpfprogram.spec.NetworkInterfaceTarget;
import dev.sigil.crds.signedbpfprogram.spec.ObjectNames;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.Messages;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.client.utils.KubernetesResourceUtil;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The API's rules for a SignedBpfProgram, checked on the Java model: the very annotations the CRD is generated from
 * ({@code @Required}, {@code @Size}, {@code @Pattern}, {@code @Min}, {@code @Max} on every field of the spec and its signed intent, so program
 * and map names follow {@link ObjectNames} here as in the schema), names unique where the schema keys a list by
 * them, each attach union holding exactly the member its type names, an interface named or the primary one (not
 * both), a cgroup path or pods (not both), and a Kubernetes object name. The resource
 * reader applies them to every file it reads and the agent to every resource it deploys, so a resource that got past
 * no schema (a file, an API server with an older CRD) is held to the same rules. CEL rules beyond these are the API
 * server's; verification checks what they protect again.
 */
public final class ResourceRules {
    private static final int MAX_RESOURCE_NAME = 253;
    private static final Map<String, String> PATTERN_MEANINGS = Map.of(
            ObjectNames.PROGRAM_PATTERN, "a program name: letters, digits and '_', not starting with a digit, at most "
                    + ObjectNames.MAX_LENGTH + " characters (the kernel's name for it)",
            ObjectNames.MAP_PATTERN, "a map name: letters, digits, '_' and single dots between them, at most "
                    + ObjectNames.MAX_LENGTH + " characters (the kernel's name for it)",
            "^[A-Za-z0-9+/]*={0,2}$", "base64",
            "^sha256:[0-9a-f]{64}$", "'sha256:' and 64 lower-case hex digits");
    private static final Map<String, java.util.regex.Pattern> COMPILED = new ConcurrentHashMap<>();

    private ResourceRules() {
    }

    /** Every rule the resource breaks, each as one line naming the field; empty when it keeps them all. */
    public static List<String> violations(SignedBpfProgram resource) {
        List<String> violations = new ArrayList<>();
        String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
        if (name == null) {
            violations.add("metadata.name is required");
        } else if (name.length() > MAX_RESOURCE_NAME || !KubernetesResourceUtil.isValidSubdomainName(name)) {
            violations.add("metadata.name: " + quoted(name) + " is not a Kubernetes object name (lower-case letters, "
                    + "digits, '-' and '.', starting and ending with a letter or digit, at most " + MAX_RESOURCE_NAME
                    + " characters)");
        }
        SignedBpfProgramSpec spec = resource.getSpec();
        if (spec == null) {
            violations.add("spec is required");
            return violations;
        }
        check(spec, "spec", violations);
        uniqueNames(spec.getPrograms(), "spec.programs", program -> program.getName(), violations);
        if (spec.getPrograms() != null && spec.getPrograms().stream().filter(program -> program != null
                && program.getAttach() != null && program.getAttach().getCgroup() != null
                && program.getAttach().getCgroup().getPods() != null).count() > SignedBpfProgramSpec.MAX_POD_TARGETS) {
            violations.add("spec: " + SignedBpfProgramSpec.POD_TARGETS_MESSAGE);
        }
        uniqueNames(spec.getMaps(), "spec.maps", map -> map.getName(), violations);
        if (spec.getIntent() != null) {
            uniqueNames(spec.getIntent().getPrograms(), "spec.intent.programs", program -> program.getName(), violations);
            uniqueNames(spec.getIntent().getMaps(), "spec.intent.maps", map -> map.getName(), violations);
        }
        return violations;
    }

    /** The first rule the resource breaks, and how many more it does; empty when it keeps them all. */
    public static Optional<String> firstViolation(SignedBpfProgram resource) {
        List<String> violations = violations(resource);
        return violations.isEmpty() ? Optional.empty() : Optional.of(violations.getFirst()
                + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""));
    }

    /** @throws ResourceException with the first rule broken, and how many more are */
    public static void require(SignedBpfProgram resource) throws ResourceException {
        Optional<String> violation = firstViolation(resource);
        if (violation.isPresent()) {
            throw new ResourceException(violation.get());
        }
    }

    private static void check(Object bean, String path, List<String> violations) {
        for (Map.Entry<String, Field> property : ModelFields.of(bean.getClass()).entrySet()) {
            Field field = property.getValue();
            String fieldPath = path + "." + property.getKey();
            Object value = ModelFields.get(field, bean);
            if (value == null) {
                if (field.isAnnotationPresent(Required.class)) {
                    violations.add(fieldPath + " is required");
                }
                continue;
            }
            checkValue(field, value, fieldPath).ifPresent(violations::add);
            if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    Object element = list.get(i);
                    if (element == null) {
                        violations.add(fieldPath + "[" + i + "] is null");
                    } else if (ModelFields.isModel(element.getClass())) {
                        check(element, fieldPath + "[" + i + "]", violations);
                    }
                }
            } else if (ModelFields.isModel(value.getClass())) {
                check(value, fieldPath, violations);
            }
        }
        unionMember(bean, path).ifPresent(violations::add);
        if (bean instanceof NetworkInterfaceTarget target && Stream.of(target.getInterfaceName() != null,
                target.onPrimaryInterface(), target.getInterfacePattern() != null).filter(set -> set).count() != 1) {
            violations.add(path + ": " + AttachUnion.ONE_INTERFACE_MESSAGE);
        }
        if (bean instanceof Cgroup cgroup && (cgroup.getPath() != null) == (cgroup.getPods() != null)
                || bean instanceof CgroupIntent intent && (intent.getPath() != null) == (intent.getPods() != null)) {
            violations.add(path + ": " + AttachUnion.ONE_CGROUP_MESSAGE);
        }
        if (bean instanceof PodTarget pods) {
            podSelector(pods.getSelector(), path + ".selector", violations);
            podSelector(pods.getNamespaceSelector(), path + ".namespaceSelector", violations);
        }
    }

    /**
     * Label syntax in a pod target's selectors (the terms a signed intent is compared by must not be forgeable; the
     * API server checks no syntax in a custom resource's selector) and the bounds {@link LabelSelectorSchema#POD_SELECTOR} puts on them.
     */
    private static void podSelector(LabelSelector selector, String path, List<String> violations) {
        if (selector == null) {
            return;
        }
        try {
            SignedSpecs.terms(selector).terms();
        } catch (IllegalArgumentException e) {
            violations.add(path + ": " + e.getMessage());
        }
        int labels = selector.getMatchLabels() == null ? 0 : selector.getMatchLabels().size();
        if (labels > LabelSelectorSchema.POD_MAX_LABELS) {
            violations.add(path + ".matchLabels: has " + labels + " entries, more than the "
                    + LabelSelectorSchema.POD_MAX_LABELS + " allowed");
        }
        List<LabelSelectorRequirement> expressions =
                selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        if (expressions.size() > LabelSelectorSchema.POD_MAX_EXPRESSIONS) {
            violations.add(path + ".matchExpressions: has " + expressions.size() + " entries, more than the "
                    + LabelSelectorSchema.POD_MAX_EXPRESSIONS + " allowed");
        }
        for (int i = 0; i < expressions.size(); i++) {
            int values = expressions.get(i).getValues() == null ? 0 : expressions.get(i).getValues().size();
            if (values > LabelSelectorSchema.POD_MAX_VALUES) {
                violations.add(path + ".matchExpressions[" + i + "].values: has " + values + " entries, more than the "
                        + LabelSelectorSchema.POD_MAX_VALUES + " allowed");
            }
        }
    }

    /** {@code @Size} (length of a string, entries of a list or map), then {@code @Pattern} of a string, then {@code @Min}/{@code @Max} of a number. */
    private static Optional<String> checkValue(Field field, Object value, String path) {
        if (value instanceof Number number) {
            return checkBounds(field, number.doubleValue(), path);
        }
        Size size = field.getAnnotation(Size.class);
        Pattern pattern = field.getAnnotation(Pattern.class);
        String meaning = pattern == null ? null : PATTERN_MEANINGS.get(pattern.value());
        String also = meaning == null ? "" : " (" + meaning + ")";
        if (size != null) {
            long count = switch (value) {
                case String text -> text.length();
                case Collection<?> collection -> collection.size();
                case Map<?, ?> map -> map.size();
                default -> -1;
            };
            String unit = value instanceof String ? " characters" : " entries";
            String what = value instanceof String text ? quoted(text) + " is " : "has ";
            if (count >= 0 && count < size.min()) {
                return Optional.of(path + ": " + what + count + unit + "; at least " + size.min() + also);
            }
            if (count > size.max()) {
                return Optional.of(path + ": " + what + count + unit + ", more than the " + size.max() + " allowed" + also);
            }
        }
        if (pattern != null && value instanceof String text
                && !COMPILED.computeIfAbsent(pattern.value(), java.util.regex.Pattern::compile).matcher(text).find()) {
            return Optional.of(path + ": " + quoted(text) + " is not "
                    + (meaning != null ? meaning : "of the form " + pattern.value()));
        }
        return Optional.empty();
    }

    private static Optional<String> checkBounds(Field field, double value, String path) {
        Min min = field.getAnnotation(Min.class);
        Max max = field.getAnnotation(Max.class);
        if (min != null && (min.inclusive() ? value < min.value() : value <= min.value())) {
            return Optional.of(path + ": " + bound(value) + " is less than the minimum " + bound(min.value()));
        }
        if (max != null && (max.inclusive() ? value > max.value() : value >= max.value())) {
            return Optional.of(path + ": " + bound(value) + " is more than the maximum " + bound(max.value()));
        }
        return Optional.empty();
    }

    private static String bound(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * A union in the Kubernetes style (a {@code type} enum and one member per value, named after it in lower camel
     * case, as {@code AttachSpec}): the member its type names is set, and no other.
     */
    private static Optional<String> unionMember(Object bean, String path) {
        Map<String, Field> fields = ModelFields.of(bean.getClass());
        Field typeField = fields.get("type");
        if (typeField == null || !typeField.getType().isEnum()) {
            return Optional.empty();
        }
        Map<String, Object> members = new LinkedHashMap<>();
        for (Object constant : typeField.getType().getEnumConstants()) {
            String memberName = member(constant);
            Field memberField = fields.get(memberName);
            if (memberField == null) {
                return Optional.empty();
            }
            members.put(memberName, ModelFields.get(memberField, bean));
        }
        Object type = ModelFields.get(typeField, bean);
        String wanted = type == null ? null : member(type);
        for (Map.Entry<String, Object> member : members.entrySet()) {
            if (member.getKey().equals(wanted) && member.getValue() == null) {
                return Optional.of(path + ": type " + type + " needs " + path + "." + wanted);
            }
            if (!member.getKey().equals(wanted) && member.getValue() != null) {
                return Optional.of(path + "." + member.getKey() + " is set, but type " + type + " uses only "
                        + (wanted == null ? "its own member" : wanted));
            }
        }
        return Optional.empty();
    }

    /** The member a union's type value names: {@code RawTracepoint} -> {@code rawTracepoint}. */
    private static String member(Object typeValue) {
        String name = ((Enum<?>) typeValue).name();
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static <T> void uniqueNames(List<T> entries, String path, Function<T, String> name, List<String> violations) {
        if (entries == null) {
            return;
        }
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entryName = entries.get(i) == null ? null : name.apply(entries.get(i));
            Integer earlier = entryName == null ? null : first.putIfAbsent(entryName, i);
            if (earlier != null) {
                violations.add(path + "[" + i + "].name: " + quoted(entryName) + " is already the name of " + path
                        + "[" + earlier + "]; names must be unique");
            }
        }
    }

    /** The value in quotes, as a message shows a written value ({@link Messages#shown}: one line, at most 40 characters). */
    private static String quoted(String value) {
        return "'" + Messages.shown(value) + "'";
    }
}
