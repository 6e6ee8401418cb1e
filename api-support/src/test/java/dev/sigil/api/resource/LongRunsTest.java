package dev.sigil.api.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/** Setting long runs aside changes nothing SnakeYAML composes: every value, tag and line is the same as without. */
class LongRunsTest {
    private static final String RUN = "QUJD".repeat(100) + "+/=";
    private static final String DIGITS = "1234567890".repeat(40);

    static List<String> documents() {
        return List.of(
                "loader: " + RUN + "\n",
                "loader: \"" + RUN + "\"\nnext: 1\n",
                "loader: '" + RUN + "'\n",
                "loader: |\n  " + RUN + "\n  " + RUN + "\n",
                "loader: >\n  " + RUN + "\n  " + RUN + "\n",
                "{\"loader\": \"" + RUN + "\", \"list\": [\"" + RUN + "\", " + DIGITS + "]}",
                "digits: " + DIGITS + "\nquoted: \"" + DIGITS + "\"\n",
                RUN + ": key\n",
                "a: &" + RUN + " value\nb: *" + RUN + "\n",
                "escape: \"\\x41" + RUN + "\\u0042" + RUN + "\"\n",
                "folded: \"" + RUN + "\n  " + RUN + " \\\n  " + RUN + "\"\n",
                "same: [" + RUN + ", " + RUN + ", x" + RUN + "]\n",
                "short: " + RUN.substring(0, LongRuns.SHORTEST - 1) + "\nexact: " + RUN.substring(0, LongRuns.SHORTEST) + "\n",
                "marker: \"\ue000" + RUN + "\ue000\"\n");
    }

    @ParameterizedTest
    @MethodSource("documents")
    void composesWhatSnakeYamlComposesFromTheWholeText(String document) throws ResourceException {
        LongRuns runs = LongRuns.shrink(document);

        assertThat(runs.text().length()).isLessThanOrEqualTo(document.length());
        assertThat(outcome(() -> runs.restore(compose(runs.text())))).isEqualTo(outcome(() -> compose(document)));
    }

    @Test
    void keepsAnchorsAliasable() throws ResourceException {
        String anchored = "a: &" + DIGITS + " value\nb: *" + DIGITS + "\n";
        LongRuns runs = LongRuns.shrink(anchored);

        assertThat(outcome(() -> runs.restore(compose(runs.text()))))
                .isEqualTo(outcome(() -> compose(anchored))).contains("value").doesNotContain("error");
    }

    /** The composed tree described, or where SnakeYAML refused the text. */
    private static String outcome(java.util.function.Supplier<Node> composition) {
        try {
            return describe(composition.get());
        } catch (MarkedYAMLException e) {
            return "error at line " + e.getProblemMark().getLine();
        }
    }

    private static Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        return new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options).getSingleNode();
    }

    /** Kind, tag, value and first line of every node, depth first. */
    private static String describe(Node node) {
        String where = node.getTag().getValue() + "@" + node.getStartMark().getLine();
        return switch (node) {
            case ScalarNode scalar -> where + "=" + scalar.getValue();
            case SequenceNode sequence -> where + sequence.getValue().stream().map(LongRunsTest::describe)
                    .collect(Collectors.joining(",", "[", "]"));
            case MappingNode mapping -> where + mapping.getValue().stream()
                    .map(tuple -> describe(tuple.getKeyNode()) + ":" + describe(tuple.getValueNode()))
                    .collect(Collectors.joining(",", "{", "}"));
            default -> throw new IllegalStateException(node.toString());
        };
    }
}
