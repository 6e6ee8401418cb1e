package dev.sigil.crds.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.crds.schema.Violation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the API server checks in every object's metadata ({@code ValidateObjectMeta}): the name's syntax,
 * label keys and values, annotation keys and total size, owner references, finalizer names, and that an
 * object being deleted takes no new finalizers. Messages are the API server's.
 */
final class ObjectMetaRules {
    private static final String SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE = "(" + QUALIFIED_NAME + ")?";
    private static final Pattern SUBDOMAIN_PATTERN = Pattern.compile(SUBDOMAIN);
    private static final Pattern LABEL_PATTERN = Pattern.compile(LABEL);
    private static final Pattern QUALIFIED_NAME_PATTERN = Pattern.compile(QUALIFIED_NAME);
    private static final Pattern LABEL_VALUE_PATTERN = Pattern.compile(LABEL_VALUE);
    private static final String SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
            + "used for validation is '" + SUBDOMAIN + "')";
    private static final String LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
            + "regex used for validation is '" + LABEL + "')";
    private static final String NAME_PART_MESSAGE = "name part must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
            + "used for validation is '" + QUALIFIED_NAME + "')";
    private static final String LABEL_VALUE_MESSAGE = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
            + "'my_value',  or '12345', regex used for validation is '" + LABEL_VALUE + "')";
    private static final int TOTAL_ANNOTATION_BYTES = 256 * 1024;

    private ObjectMetaRules() {
    }

    /**
     * @param resource the plural resource name: namespaces are DNS labels, everything Sigil touches else
     *     a DNS subdomain
     * @param old the object before an update, or {@code null}
     */
    static List<Violation> check(String resource, JsonNode object, JsonNode old) {
        JsonNode metadata = object.path("metadata");
        List<Violation> violations = new ArrayList<>();
        String name = metadata.path("name").asText("");
        if (!name.isEmpty()) {
            violations.addAll(resource.equals("namespaces") ? dnsLabel("metadata.name", name) : dnsSubdomain("metadata.name", name));
        }
        violations.addAll(labels("metadata.labels", metadata.path("labels")));
        long annotationBytes = 0;
        for (var annotation : metadata.path("annotations").properties()) {
            violations.addAll(qualifiedName("metadata.annotations", annotation.getKey().toLowerCase(java.util.Locale.ROOT)));
            annotationBytes += annotation.getKey().length() + annotation.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (annotationBytes > TOTAL_ANNOTATION_BYTES) {
            violations.add(new Violation("metadata.annotations", "FieldValueTooLong",
                    "Too long: must have at most " + TOTAL_ANNOTATION_BYTES + " bytes"));
        }
        JsonNode owners = metadata.path("ownerReferences");
        for (int i = 0; i < owners.size(); i++) {
            violations.addAll(ownerReference("metadata.ownerReferences[" + i + "]", owners.get(i)));
        }
        JsonNode finalizers = metadata.path("finalizers");
        for (int i = 0; i < finalizers.size(); i++) {
            violations.addAll(qualifiedName("metadata.finalizers[" + i + "]", finalizers.get(i).asText()));
        }
        if (old != null && old.path("metadata").hasNonNull("deletionTimestamp")) {
            Set<String> before = new HashSet<>();
            old.path("metadata").path("finalizers").forEach(finalizer -> before.add(finalizer.asText()));
            List<String> added = new ArrayList<>();
            finalizers.forEach(finalizer -> {
                if (!before.contains(finalizer.asText())) {
                    added.add(Violation.quote(finalizer.asText()));
                }
            });
            if (!added.isEmpty()) {
                violations.add(Violation.forbidden("metadata.finalizers", "no new finalizers can be added if the object "
                        + "is being deleted, found new finalizers []string{" + String.join(", ", added) + "}"));
            }
        }
        return violations;
    }

    /** An owner the garbage collector can find: version, kind, name and uid. */
    private static List<Violation> ownerReference(String field, JsonNode owner) {
        List<Violation> violations = new ArrayList<>();
        String apiVersion = owner.path("apiVersion").asText("");
        if (apiVersion.isEmpty() || apiVersion.endsWith("/")) {
            violations.add(Violation.invalid(field + ".apiVersion", apiVersion, "version must not be empty"));
        }
        for (String required : List.of("kind", "name", "uid")) {
            if (owner.path(required).asText("").isEmpty()) {
                violations.add(Violation.invalid(field + "." + required, "", "must not be empty"));
            }
        }
        return violations;
    }

    static List<Violation> labels(String field, JsonNode labels) {
        List<Violation> violations = new ArrayList<>();
        labels.properties().forEach(label -> {
            violations.addAll(qualifiedName(field, label.getKey()));
            violations.addAll(labelValue(field, label.getValue().asText()));
        });
        return violations;
    }

    static List<Violation> dnsSubdomain(String field, String value) {
        List<Violation> violations = new ArrayList<>();
        if (value.length() > 253) {
            violations.add(Violation.invalid(field, value, "must be no more than 253 characters"));
        }
        if (!SUBDOMAIN_PATTERN.matcher(value).matches()) {
            violations.add(Violation.invalid(field, value, SUBDOMAIN_MESSAGE));
        }
        return violations;
    }

    static List<Violation> dnsLabel(String field, String value) {
        List<Violation> violations = new ArrayList<>();
        if (value.length() > 63) {
            violations.add(Violation.invalid(field, value, "must be no more than 63 characters"));
        }
        if (!LABEL_PATTERN.matcher(value).matches()) {
            violations.add(Violation.invalid(field, value, LABEL_MESSAGE));
        }
        return violations;
    }

    private static List<Violation> qualifiedName(String field, String value) {
        String[] parts = value.split("/", -1);
        List<Violation> violations = new ArrayList<>();
        if (parts.length > 2) {
            violations.add(Violation.invalid(field, value, "a qualified name " + NAME_PART_MESSAGE.substring("name part ".length())
                    .replace("')", "') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")));
            return violations;
        }
        String namePart = parts[parts.length - 1];
        if (parts.length == 2) {
            if (parts[0].isEmpty()) {
                violations.add(Violation.invalid(field, value, "prefix part must be non-empty"));
            } else if (parts[0].length() > 253 || !SUBDOMAIN_PATTERN.matcher(parts[0]).matches()) {
                violations.add(Violation.invalid(field, value, "prefix part " + SUBDOMAIN_MESSAGE));
            }
        }
        if (namePart.isEmpty()) {
            violations.add(Violation.invalid(field, value, "name part must be non-empty"));
        } else if (namePart.length() > 63) {
            violations.add(Violation.invalid(field, value, "name part must be no more than 63 characters"));
        }
        if (!namePart.isEmpty() && !QUALIFIED_NAME_PATTERN.matcher(namePart).matches()) {
            violations.add(Violation.invalid(field, value, NAME_PART_MESSAGE));
        }
        return violations;
    }

    private static List<Violation> labelValue(String field, String value) {
        List<Violation> violations = new ArrayList<>();
        if (value.length() > 63) {
            violations.add(Violation.invalid(field, value, "must be no more than 63 characters"));
        }
        if (!LABEL_VALUE_PATTERN.matcher(value).matches()) {
            violations.add(Violation.invalid(field, value, LABEL_VALUE_MESSAGE));
        }
        return violations;
    }
}
