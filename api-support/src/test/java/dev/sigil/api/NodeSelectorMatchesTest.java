package dev.sigil.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The label-selector rules alone, without the OS rule {@link NodeSelector#selects} adds. */
class NodeSelectorMatchesTest {
    private static final Map<String, String> WORKER = Map.of("kubernetes.io/os", "linux", "zone", "a", "tier", "edge");

    @Test
    void absentOrEmptySelectorMatchesEveryNode() throws Exception {
        assertThat(NodeSelector.of(null).matches(WORKER)).isTrue();
        assertThat(NodeSelector.of(new LabelSelector()).matches(Map.of())).isTrue();
    }

    @Test
    void matchLabelsAndExpressionsMustAllHold() throws Exception {
        NodeSelector selector = NodeSelector.of(new LabelSelectorBuilder()
                .addToMatchLabels("zone", "a")
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("edge", "core").endMatchExpression()
                .addNewMatchExpression().withKey("gpu").withOperator("DoesNotExist").endMatchExpression()
                .build());

        assertThat(selector.matches(WORKER)).isTrue();
        assertThat(selector.matches(Map.of("zone", "b", "tier", "edge"))).isFalse();
        assertThat(selector.matches(Map.of("zone", "a", "tier", "edge", "gpu", "yes"))).isFalse();
        assertThat(selector.matches(Map.of("zone", "a"))).as("In needs the key").isFalse();
    }

    @Test
    void notInMatchesNodesWithoutTheKey() throws Exception {
        NodeSelector selector = NodeSelector.of(new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("edge").endMatchExpression()
                .addNewMatchExpression().withKey("zone").withOperator("Exists").endMatchExpression()
                .build());

        assertThat(selector.matches(Map.of("zone", "a"))).isTrue();
        assertThat(selector.matches(WORKER)).isFalse();
    }

    @Test
    void rejectsRequirementsItCannotEvaluateNamingThem() {
        assertThatThrownBy(() -> NodeSelector.of(new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("zone").withOperator("Near").withValues("a").endMatchExpression()
                .build()))
                .isInstanceOf(NodeSelector.InvalidNodeSelectorException.class)
                .hasMessageContaining("matchExpressions[0]").hasMessageContaining("unknown operator 'Near'");
        assertThatThrownBy(() -> NodeSelector.of(new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("zone").withOperator("In").endMatchExpression()
                .build()))
                .hasMessageContaining("operator In needs values");
        assertThatThrownBy(() -> NodeSelector.of(new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("zone").withOperator("Exists").withValues("a").endMatchExpression()
                .build()))
                .hasMessageContaining("operator Exists takes no values");
    }
}
