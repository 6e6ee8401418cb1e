package dev.sigil.operator.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgramTargetsTest {
    private final List<Node> nodes = new ArrayList<>(List.of(
            node("edge-1", "linux", "edge"), node("edge-2", "linux", "edge"), node("core-1", "linux", "core"),
            node("edge-win", "windows", "edge")));
    private final AtomicInteger listings = new AtomicInteger();
    private final ProgramTargets targets = new ProgramTargets();

    ProgramTargetsTest() {
        targets.readNodesFrom(() -> {
            listings.incrementAndGet();
            return nodes.stream();
        });
    }

    @Test
    void aProgramsSelectorIsEvaluatedAgainstEveryNodeOnceAndThenReadFromTheIndex() {
        SignedBpfProgram edge = program("edge-probe", tier("edge"));

        assertThat(targets.nodesTargetedBy(edge)).containsExactly("edge-1", "edge-2");
        assertThat(targets.nodesTargetedBy(edge)).containsExactly("edge-1", "edge-2");
        assertThat(targets.targets(edge, "edge-2")).isTrue();
        assertThat(listings).as("the nodes were listed once").hasValue(1);
    }

    @Test
    void aNodesChangeNamesExactlyTheProgramsWhoseTargetsItMoves() {
        SignedBpfProgram edge = program("edge-probe", tier("edge"));
        SignedBpfProgram core = program("core-probe", tier("core"));
        SignedBpfProgram everywhere = program("everywhere", null);
        targets.nodesTargetedBy(edge);
        targets.nodesTargetedBy(core);
        targets.nodesTargetedBy(everywhere);

        assertThat(targets.nodeChanged(node("edge-3", "linux", "edge"))).containsExactlyInAnyOrder("edge-probe", "everywhere");
        assertThat(targets.nodeChanged(node("edge-1", "linux", "core"))).as("relabelled from edge to core")
                .containsExactlyInAnyOrder("edge-probe", "core-probe");
        assertThat(targets.nodeChanged(node("edge-1", "linux", "core"))).as("nothing moved").isEmpty();
        assertThat(targets.nodeDeleted("edge-2")).containsExactlyInAnyOrder("edge-probe", "everywhere");

        assertThat(targets.nodesTargetedBy(edge)).containsExactly("edge-3");
        assertThat(targets.nodesTargetedBy(core)).containsExactly("core-1", "edge-1");
        assertThat(targets.programsTargeting("edge-1")).containsExactlyInAnyOrder("core-probe", "everywhere");
        assertThat(listings).as("node changes never list the nodes again").hasValue(3);
    }

    @Test
    void aNewSelectorIsEvaluatedAfreshAndAForgottenProgramTargetsNothingKnown() {
        targets.nodesTargetedBy(program("probe", tier("edge")));

        assertThat(targets.nodesTargetedBy(program("probe", tier("core")))).containsExactly("core-1");
        assertThat(listings).hasValue(2);

        targets.forget("probe");
        assertThat(targets.programsTargeting("core-1")).isEmpty();
    }

    @Test
    void anInvalidSelectorOrAMissingSpecTargetsNothing() {
        LabelSelector invalid = new LabelSelectorBuilder().addNewMatchExpression()
                .withKey("tier").withOperator("Near").endMatchExpression().build();
        SignedBpfProgram noSpec = new SignedBpfProgram();
        noSpec.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("empty").build());

        assertThat(targets.nodesTargetedBy(program("broken", invalid))).isEmpty();
        assertThat(targets.nodesTargetedBy(noSpec)).isEmpty();
        assertThat(targets.nodeChanged(node("edge-9", "linux", "edge"))).isEmpty();
    }

    private static LabelSelector tier(String tier) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of("tier", tier)).build();
    }

    private static SignedBpfProgram program(String name, LabelSelector selector) {
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setNodeSelector(selector);
        SignedBpfProgram program = new SignedBpfProgram();
        program.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        program.setSpec(spec);
        return program;
    }

    private static Node node(String name, String os, String tier) {
        return new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("kubernetes.io/os", os, "tier", tier)).endMetadata().build();
    }
}
