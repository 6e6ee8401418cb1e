package dev.sigil.crds.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.crds.schema.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The API server's own validation of the built-in kinds Sigil writes, where a mistake would pass a
 * permissive mock: Events (the event's namespace against its involved object's) and the agent DaemonSet's
 * pod template (selector, containers, volume mounts, mount propagation, host-network ports).
 */
final class CoreKindRules {
    private static final Set<String> SYSTEM_NAMESPACES = Set.of("default", "kube-system");

    private CoreKindRules() {
    }

    static List<Violation> check(String group, String resource, JsonNode object) {
        return switch (group + "/" + resource) {
            case "/events", "events.k8s.io/events" -> event(object);
            case "apps/daemonsets" -> daemonSet(object);
            default -> List.of();
        };
    }

    /**
     * {@code ValidateEventCreate}: an Event about a cluster-scoped object (empty involved namespace) lives in
     * {@code default} (or, for events with an eventTime, also {@code kube-system}); any other event lives
     * in its involved object's namespace.
     */
    private static List<Violation> event(JsonNode event) {
        JsonNode involved = event.has("regarding") ? event.get("regarding") : event.path("involvedObject");
        String involvedField = event.has("regarding") ? "regarding.namespace" : "involvedObject.namespace";
        String involvedNamespace = involved.path("namespace").asText("");
        String namespace = event.path("metadata").path("namespace").asText("");
        boolean legacy = event.path("eventTime").asText("").isEmpty();
        List<Violation> violations = new ArrayList<>();
        boolean matches;
        if (legacy) {
            matches = involvedNamespace.isEmpty() ? namespace.isEmpty() || namespace.equals("default") : namespace.equals(involvedNamespace);
        } else {
            matches = !involvedNamespace.isEmpty() || SYSTEM_NAMESPACES.contains(namespace);
            for (String required : List.of("reportingController", "reportingInstance", "action", "reason")) {
                String jsonField = required.equals("reportingController") && !event.has("regarding") ? "reportingComponent" : required;
                if (event.path(jsonField).asText("").isEmpty()) {
                    violations.add(Violation.required(jsonField));
                }
            }
        }
        if (!matches) {
            violations.add(Violation.invalid(involvedField, involvedNamespace, "does not match event.namespace"));
        }
        return violations;
    }

    private static List<Violation> daemonSet(JsonNode daemonSet) {
        List<Violation> violations = new ArrayList<>();
        JsonNode selector = daemonSet.path("spec").path("selector");
        JsonNode templateLabels = daemonSet.path("spec").path("template").path("metadata").path("labels");
        if (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty()) {
            violations.add(Violation.required("spec.selector"));
        } else if (!selectorMatches(selector.path("matchLabels"), templateLabels)) {
            violations.add(Violation.invalidGoValue("spec.template.metadata.labels", goMap(templateLabels),
                    "`selector` does not match template `labels`"));
        }
        violations.addAll(ObjectMetaRules.labels("spec.template.metadata.labels", templateLabels));
        violations.addAll(podSpec("spec.template.spec", daemonSet.path("spec").path("template").path("spec")));
        return violations;
    }

    private static List<Violation> podSpec(String path, JsonNode pod) {
        List<Violation> violations = new ArrayList<>();
        String restartPolicy = pod.path("restartPolicy").asText("Always");
        if (!restartPolicy.equals("Always")) {
            violations.add(Violation.notSupported(path + ".restartPolicy", restartPolicy, List.of("Always")));
        }
        violations.addAll(ObjectMetaRules.labels(path + ".nodeSelector", pod.path("nodeSelector")));
        Set<String> volumes = new HashSet<>();
        pod.path("volumes").forEach(volume -> volumes.add(volume.path("name").asText()));
        JsonNode containers = pod.path("containers");
        if (containers.isEmpty()) {
            violations.add(Violation.required(path + ".containers"));
        }
        for (int i = 0; i < containers.size(); i++) {
            violations.addAll(container(path + ".containers[" + i + "]", containers.get(i), volumes,
                    pod.path("hostNetwork").asBoolean(false)));
        }
        return violations;
    }

    private static List<Violation> container(String path, JsonNode container, Set<String> volumes, boolean hostNetwork) {
        List<Violation> violations = new ArrayList<>(ObjectMetaRules.dnsLabel(path + ".name", container.path("name").asText("")));
        if (container.path("image").asText("").isBlank()) {
            violations.add(Violation.required(path + ".image"));
        }
        boolean privileged = container.path("securityContext").path("privileged").asBoolean(false);
        JsonNode mounts = container.path("volumeMounts");
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode mount = mounts.get(i);
            String mountPath = path + ".volumeMounts[" + i + "]";
            if (!volumes.contains(mount.path("name").asText())) {
                violations.add(Violation.notFound(mountPath + ".name", mount.path("name").asText()));
            }
            if (mount.path("mountPath").asText("").isEmpty()) {
                violations.add(Violation.required(mountPath + ".mountPath"));
            }
            if (mount.path("mountPropagation").asText("").equals("Bidirectional") && !privileged) {
                violations.add(Violation.forbidden(mountPath + ".mountPropagation",
                        "Bidirectional mount propagation is available only to privileged containers"));
            }
        }
        JsonNode ports = container.path("ports");
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            if (hostNetwork && port.has("hostPort") && port.path("hostPort").asInt() != port.path("containerPort").asInt()) {
                violations.add(Violation.invalid(path + ".ports[" + i + "].hostPort", port.path("hostPort").asLong(),
                        "must match `containerPort` when `hostNetwork` is true"));
            }
        }
        return violations;
    }

    private static boolean selectorMatches(JsonNode matchLabels, JsonNode labels) {
        for (var label : matchLabels.properties()) {
            if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code %#v} of a {@code map[string]string}. */
    private static String goMap(JsonNode labels) {
        TreeMap<String, String> sorted = new TreeMap<>();
        labels.properties().forEach(label -> sorted.put(label.getKey(), label.getValue().asText()));
        return sorted.entrySet().stream().map(e -> Violation.quote(e.getKey()) + ":" + Violation.quote(e.getValue()))
                .collect(Collectors.joining(", ", "map[string]string{", "}"));
    }
}
