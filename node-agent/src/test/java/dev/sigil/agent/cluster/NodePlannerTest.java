package dev.sigil.agent.cluster;

import static dev.sigil.agent.testing.TestPrograms.program;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.node.ResourceReport.Phase;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NodePlannerTest {
    private static final Optional<Map<String, String>> LINUX_WORKER =
            Optional.of(Map.of("kubernetes.io/os", "linux", "role", "worker", "zone", "a"));

    @Test
    void appliesProgramWithoutSelectorOnEveryLinuxNode() {
        NodePlan plan = NodePlanner.plan(LINUX_WORKER, List.of(program("counter", "l1", null)), List.of(), false);

        assertThat(applied(plan)).containsExactly("counter");
        assertThat(plan.toUnload()).isEmpty();
    }

    @Test
    void appliesNothingOnWindowsNodes() {
        NodePlan plan = NodePlanner.plan(Optional.of(Map.of("kubernetes.io/os", "windows")),
                List.of(program("counter", "l1", null)), List.of(), false);

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void appliesNothingOnNodesThatDoNotSayTheyAreLinux() {
        // One rule with the operator and kubectl-sigil (api-support NodeSelector): no OS label, no programs.
        NodePlan plan = NodePlanner.plan(Optional.of(Map.of()), List.of(program("counter", "l1", null)), List.of(), false);

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void appliesOnlyProgramsWhoseMatchLabelsFit() {
        NodePlan plan = NodePlanner.plan(LINUX_WORKER, List.of(
                program("workers", "l1", selector(Map.of("role", "worker"))),
                program("gateways", "l2", selector(Map.of("role", "gateway"))),
                program("empty-selector", "l3", new LabelSelector())), List.of(), false);

        assertThat(applied(plan)).containsExactly("empty-selector", "workers");
    }

    @Test
    void evaluatesEveryMatchExpressionOperator() {
        assertThat(selects(expression("zone", "In", "a", "b"))).isTrue();
        assertThat(selects(expression("zone", "In", "b"))).isFalse();
        assertThat(selects(expression("zone", "NotIn", "b"))).isTrue();
        assertThat(selects(expression("zone", "NotIn", "a"))).isFalse();
        assertThat(selects(expression("gpu", "NotIn", "yes"))).isTrue();
        assertThat(selects(expression("role", "Exists"))).isTrue();
        assertThat(selects(expression("gpu", "Exists"))).isFalse();
        assertThat(selects(expression("gpu", "DoesNotExist"))).isTrue();
        assertThat(selects(expression("role", "DoesNotExist"))).isFalse();
    }

    @Test
    void unknownSelectorOperatorMatchesNothing() {
        assertThat(selects(expression("role", "Exsits"))).isFalse();
    }

    @Test
    void requiresAllRequirementsOfASelector() {
        LabelSelector both = new LabelSelectorBuilder()
                .withMatchLabels(Map.of("role", "worker"))
                .addNewMatchExpression().withKey("zone").withOperator("In").withValues("b").endMatchExpression()
                .build();

        assertThat(selects(both)).isFalse();
    }

    @Test
    void keepsAnAttachedProgramOfTheSameGeneration() {
        NodePlan plan = NodePlanner.plan(LINUX_WORKER, List.of(program("counter", "l1", null)),
                List.of(state("counter", 1, Phase.Attached)), false);

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void appliesANewGeneration() {
        SignedBpfProgram second = program("counter", "l2", null);
        second.getMetadata().setGeneration(2L);

        NodePlan plan = NodePlanner.plan(LINUX_WORKER, List.of(second),
                List.of(state("counter", 1, Phase.Attached)), false);

        assertThat(applied(plan)).containsExactly("counter");
    }

    @Test
    void appliesAResourceTheHostLetGoOf() {
        NodePlan plan = NodePlanner.plan(LINUX_WORKER, List.of(program("counter", "l1", null)),
                List.of(state("counter", 1, Phase.Unloaded)), false);

        assertThat(applied(plan)).containsExactly("counter");
    }

    @Test
    void retriesAFailureOfTheSameGenerationOnlyWhenAskedToReapplyAll() {
        List<SignedBpfProgram> programs = List.of(program("counter", "l1", null));
        List<ResourceReport> failed = List.of(state("counter", 1, Phase.Failed));

        assertThat(NodePlanner.plan(LINUX_WORKER, programs, failed, false).isEmpty()).isTrue();
        assertThat(applied(NodePlanner.plan(LINUX_WORKER, programs, failed, true))).containsExactly("counter");
    }

    @Test
    void reappliesAttachedProgramsWhenAskedSoTheyAreVerifiedAgain() {
        NodePlan plan = NodePlanner.plan(LINUX_WORKER, List.of(program("counter", "l1", null)),
                List.of(state("counter", 1, Phase.Attached)), true);

        assertThat(applied(plan)).containsExactly("counter");
    }

    @Test
    void unloadsProgramsThatAreDeletedBeingDeletedOrNoLongerSelected() {
        SignedBpfProgram deleting = program("deleting", "l1", null);
        deleting.getMetadata().setDeletionTimestamp("2025-01-01T00:00:00Z");
        SignedBpfProgram moved = program("moved", "l2", selector(Map.of("role", "gateway")));

        NodePlan plan = NodePlanner.plan(LINUX_WORKER, List.of(deleting, moved), List.of(
                state("deleting", 1, Phase.Attached),
                state("moved", 1, Phase.Attached),
                state("deleted", 3, Phase.Failed)), false);

        assertThat(plan.toApply()).isEmpty();
        assertThat(plan.toUnload()).containsExactly("deleted", "deleting", "moved");
    }

    @Test
    void unloadsEverythingWhenTheNodeIsGone() {
        NodePlan plan = NodePlanner.plan(Optional.empty(), List.of(program("counter", "l1", null)),
                List.of(state("counter", 1, Phase.Attached)), true);

        assertThat(plan.toApply()).isEmpty();
        assertThat(plan.toUnload()).containsExactly("counter");
    }

    private static boolean selects(LabelSelector selector) {
        return !NodePlanner.plan(LINUX_WORKER, List.of(program("p", "l", selector)), List.of(), false).isEmpty();
    }

    private static LabelSelector selector(Map<String, String> labels) {
        return new LabelSelectorBuilder().withMatchLabels(labels).build();
    }

    private static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelectorBuilder()
                .addNewMatchExpression().withKey(key).withOperator(operator).withValues(values).endMatchExpression()
                .build();
    }

    private static ResourceReport state(String name, long generation, Phase phase) {
        return new ResourceReport(name, OptionalLong.of(generation), Optional.empty(), phase, Instant.EPOCH,
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static List<String> applied(NodePlan plan) {
        return plan.toApply().stream().map(program -> program.getMetadata().getName()).toList();
    }
}
