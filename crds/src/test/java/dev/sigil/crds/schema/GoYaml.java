package dev.sigil.crds.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML read the way kubectl, Helm, Argo CD and every other Go client read it: {@code sigs.k8s.io/yaml} on
 * go-yaml v2, which follows YAML 1.1. Unquoted {@code True}, {@code no}, {@code on}, {@code y}, {@code ~} or
 * {@code 0x1F} are booleans, nulls and numbers there, whatever a YAML 1.2 reader (Fabric8's) makes of them.
 */
public final class GoYaml {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GoYaml() {
    }

    /** The documents' data as Go reads it: maps, lists, strings, booleans, numbers and nulls. */
    public static Object load(String yaml) {
        return newYaml().load(yaml);
    }

    /** As {@link #load}, then to JSON as {@code sigs.k8s.io/yaml} converts it (non-string keys become strings). */
    public static JsonNode read(String yaml) {
        return JSON.valueToTree(load(yaml));
    }

    private static Yaml newYaml() {
        LoaderOptions loading = new LoaderOptions();
        loading.setCodePointLimit(16 * 1024 * 1024);
        DumperOptions dumping = new DumperOptions();
        return new Yaml(new GoYamlV2Constructor(loading), new Representer(dumping), dumping, loading, new GoYamlV2Resolver());
    }

    /** Builds booleans from every spelling {@link GoYamlV2Resolver} resolves as one. */
    private static final class GoYamlV2Constructor extends SafeConstructor {
        private static final Set<String> TRUE = Set.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");

        GoYamlV2Constructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(Tag.BOOL, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return TRUE.contains(constructScalar((ScalarNode) node));
                }
            });
        }
    }

    /**
     * go-yaml v2's implicit types: SnakeYAML's YAML 1.1 set, plus the one-letter booleans {@code y} and
     * {@code n} that SnakeYAML leaves out, minus timestamps (go-yaml keeps them as strings in untyped data).
     */
    private static final class GoYamlV2Resolver extends Resolver {
        private static final Pattern GO_BOOL = Pattern.compile(
                "^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, GO_BOOL, "yYnNtTfFoO", 10);
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
        }
    }
}
