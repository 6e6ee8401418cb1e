package dev.sigil.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chart as the real Helm renders it ({@code helm template}), for a fixed release name, namespace
 * and Kubernetes version, split into objects both as JSON trees and as Fabric8 model objects.
 */
public final class RenderedChart {
    public static final String RELEASE = "sigil";
    public static final String NAMESPACE = "sigil-system";
    public static final String KUBE_VERSION = "1.32.0";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final String manifest;
    private final List<JsonNode> documents;

    private RenderedChart(String manifest) {
        this.manifest = manifest;
        this.documents = parse(manifest);
    }

    public static Path chartDirectory() {
        return repositoryRoot().resolve("charts").resolve("sigil");
    }

    /** Surefire sets SIGIL_ROOT (parent pom); run from an IDE, the module directory's parent is the root. */
    public static Path repositoryRoot() {
        String root = System.getenv("SIGIL_ROOT");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    }

    /** charts/sigil/Chart.yaml as a tree. */
    public static JsonNode chartMetadata() {
        try {
            return YAML.readTree(chartDirectory().resolve("Chart.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path valuesFile(String name) {
        return repositoryRoot().resolve("charts/src/test/resources/values").resolve(name);
    }

    /** Renders with the chart's defaults plus the given values files and --set pairs. */
    public static RenderedChart render(List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand template = new Helm(chartDirectory()).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        valuesFiles.forEach(template::withValuesFile);
        sets.forEach(template::set);
        return new RenderedChart(template.call());
    }

    /** The annotation key hooks carry in {@link #renderWithHooks}, in place of {@code helm.sh/hook}. */
    public static final String RENAMED_HOOK_ANNOTATION = "test.sigil.dev/hook";

    /**
     * Renders hooks too: helm-java's template leaves out Helm hooks (as Helm keeps them out of a release's
     * manifest), so this renders a copy of the chart whose {@code helm.sh/hook*} annotations are renamed
     * to {@value #RENAMED_HOOK_ANNOTATION}{@code *}; the hooks then render as ordinary objects.
     */
    public static RenderedChart renderWithHooks(List<Path> valuesFiles, Map<String, Object> sets) {
        try {
            Path copy = java.nio.file.Files.createTempDirectory("sigil-chart");
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(chartDirectory())) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(chartDirectory().relativize(file).toString());
                    if (java.nio.file.Files.isDirectory(file)) {
                        java.nio.file.Files.createDirectories(target);
                    } else {
                        java.nio.file.Files.writeString(target, java.nio.file.Files.readString(file)
                                .replace("helm.sh/hook", RENAMED_HOOK_ANNOTATION));
                    }
                }
            }
            TemplateCommand template = new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION);
            valuesFiles.forEach(template::withValuesFile);
            sets.forEach(template::set);
            return new RenderedChart(template.call());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RenderedChart withDefaults() {
        return render(List.of(), Map.of());
    }

    public String manifest() {
        return manifest;
    }

    public List<JsonNode> documents() {
        return documents;
    }

    public List<HasMetadata> objects() {
        return documents.stream().map(RenderedChart::toModel).toList();
    }

    public Optional<JsonNode> find(String kind, String name) {
        return documents.stream()
                .filter(doc -> doc.path("kind").asText().equals(kind) && doc.at("/metadata/name").asText().equals(name))
                .findFirst();
    }

    public JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    public <T extends HasMetadata> T get(Class<T> type, String name) {
        return SERIALIZATION.convertValue(get(type.getSimpleName(), name), type);
    }

    public List<JsonNode> ofKind(String kind) {
        return documents.stream().filter(doc -> doc.path("kind").asText().equals(kind)).toList();
    }

    static HasMetadata toModel(JsonNode document) {
        return SERIALIZATION.unmarshal(document.toString());
    }

    private static List<JsonNode> parse(String manifest) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(manifest)) {
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm template produced YAML that does not parse", e);
        }
        return documents;
    }

    /** A YAML mapping of strings (labels, selectors) as a map. */
    public static Map<String, String> yamlMap(JsonNode mapping) {
        Map<String, String> map = new java.util.TreeMap<>();
        mapping.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().asText()));
        return map;
    }

    /** Parses a YAML text (e.g. a ConfigMap entry) into a tree. */
    public static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
