package dev.sigil.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The one selector evaluation, as a table: each row a selector, a node's labels and whether that node runs
 * the program. The operator, the agents and kubectl-sigil all decide through {@link NodeSelector}, so this
 * table is what they agree on.
 */
class NodeSelectorTest {
    private static final Map<String, String> LINUX_EDGE = Map.of("kubernetes.io/os", "linux", "zone", "a", "tier", "edge");

    static Stream<Arguments> table() {
        return Stream.of(
                row("absent selector, Linux node", null, LINUX_EDGE, true),
                row("empty selector, Linux node", new LabelSelector(), LINUX_EDGE, true),
                row("empty selector, node without any label", new LabelSelector(), Map.of(), false),
                row("empty selector, node without the OS label", new LabelSelector(), Map.of("zone", "a"), false),
                row("empty selector, Windows node", new LabelSelector(), Map.of("kubernetes.io/os", "windows"), false),
                row("matchLabels on a Windows node that has them", labels("zone", "a"),
                        Map.of("kubernetes.io/os", "windows", "zone", "a"), false),
                row("matchLabels present", labels("zone", "a"), LINUX_EDGE, true),
                row("matchLabels other value", labels("zone", "b"), LINUX_EDGE, false),
                row("matchLabels missing label", labels("gpu", "yes"), LINUX_EDGE, false),
                row("matchLabels all must hold", selector(Map.of("zone", "a", "tier", "core")), LINUX_EDGE, false),
                row("In with the value", expression("tier", "In", "edge", "core"), LINUX_EDGE, true),
                row("In without the value", expression("tier", "In", "core"), LINUX_EDGE, false),
                row("In on a missing label", expression("gpu", "In", "yes"), LINUX_EDGE, false),
                row("NotIn with the value", expression("tier", "NotIn", "edge"), LINUX_EDGE, false),
                row("NotIn with another value", expression("tier", "NotIn", "core"), LINUX_EDGE, true),
                row("NotIn on a missing label", expression("gpu", "NotIn", "yes"), LINUX_EDGE, true),
                row("Exists present", expression("zone", "Exists"), LINUX_EDGE, true),
                row("Exists missing", expression("gpu", "Exists"), LINUX_EDGE, false),
                row("DoesNotExist missing", expression("gpu", "DoesNotExist"), LINUX_EDGE, true),
                row("DoesNotExist present", expression("zone", "DoesNotExist"), LINUX_EDGE, false),
                row("DoesNotExist on the OS label itself", expression("kubernetes.io/os", "DoesNotExist"), Map.of(), false),
                row("labels and expressions ANDed, all hold", new LabelSelectorBuilder(labels("zone", "a"))
                        .addToMatchExpressions(requirement("tier", "In", "edge"))
                        .addToMatchExpressions(requirement("gpu", "DoesNotExist")).build(), LINUX_EDGE, true),
                row("labels and expressions ANDed, one fails", new LabelSelectorBuilder(labels("zone", "a"))
                        .addToMatchExpressions(requirement("tier", "NotIn", "edge")).build(), LINUX_EDGE, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decidesAsTheTableSays(String row, LabelSelector selector, Map<String, String> nodeLabels, boolean selected)
            throws Exception {
        assertThat(NodeSelector.of(selector).selects(nodeLabels)).isEqualTo(selected);
        assertThat(NodeSelector.selects(program(selector), nodeLabels)).as("through the program").isEqualTo(selected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(expression("zone", "Near", "a"), "matchExpressions[0]: unknown operator 'Near'"),
                Arguments.of(expression("zone", "In"), "matchExpressions[0]: operator In needs values"),
                Arguments.of(expression("zone", "NotIn"), "operator NotIn needs values"),
                Arguments.of(expression("zone", "Exists", "a"), "operator Exists takes no values"),
                Arguments.of(expression("zone", "DoesNotExist", "a"), "operator DoesNotExist takes no values"),
                Arguments.of(expression(" ", "Exists"), "matchExpressions[0].key is empty"),
                Arguments.of(new LabelSelectorBuilder().addToMatchExpressions(requirement("zone", "Exists"))
                        .addToMatchExpressions(new LabelSelectorRequirement(null, "Exists", List.of())).build(),
                        "matchExpressions[1].key is empty"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void aSelectorItCannotEvaluateIsNamedAndSelectsNothing(LabelSelector selector, String message) {
        assertThatThrownBy(() -> NodeSelector.of(selector))
                .isInstanceOf(NodeSelector.InvalidNodeSelectorException.class)
                .hasMessageContaining(message);
        assertThat(NodeSelector.ofProgram(program(selector))).isEmpty();
        assertThat(NodeSelector.selects(program(selector), LINUX_EDGE)).isFalse();
    }

    @Test
    void aProgramWithoutASpecRunsNowhere() {
        SignedBpfProgram program = new SignedBpfProgram();
        assertThat(NodeSelector.selects(program, LINUX_EDGE)).isFalse();
    }

    @Test
    void aMatchLabelWithoutValueMatchesNothing() throws Exception {
        Map<String, String> withoutValue = new HashMap<>();
        withoutValue.put("zone", null);
        assertThat(NodeSelector.of(new LabelSelectorBuilder().withMatchLabels(withoutValue).build()).selects(LINUX_EDGE))
                .isFalse();
    }

    @Test
    void namesTheLabelKeysItReadsTheOsLabelIncluded() throws Exception {
        LabelSelector selector = new LabelSelectorBuilder(labels("zone", "a"))
                .addToMatchExpressions(requirement("tier", "NotIn", "edge")).build();

        assertThat(NodeSelector.of(selector).keys()).containsExactly("kubernetes.io/os", "tier", "zone");
        assertThat(NodeSelector.of((LabelSelector) null).keys()).containsExactly("kubernetes.io/os");
    }

    private static Arguments row(String name, LabelSelector selector, Map<String, String> nodeLabels, boolean selected) {
        return Arguments.of(name, selector, nodeLabels, selected);
    }

    private static LabelSelector labels(String key, String value) {
        return selector(Map.of(key, value));
    }

    private static LabelSelector selector(Map<String, String> matchLabels) {
        return new LabelSelectorBuilder().withMatchLabels(matchLabels).build();
    }

    private static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelectorBuilder().addToMatchExpressions(requirement(key, operator, values)).build();
    }

    private static LabelSelectorRequirement requirement(String key, String operator, String... values) {
        return new LabelSelectorRequirement(key, operator, new ArrayList<>(List.of(values)));
    }

    private static SignedBpfProgram program(LabelSelector selector) {
        SignedBpfProgram program = new SignedBpfProgram();
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setNodeSelector(selector);
        program.setSpec(spec);
        return program;
    }
}
