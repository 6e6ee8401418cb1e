package dev.sigil.operator.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ProgramTargetsTest {
    private final List<Node> nodes = new ArrayList<>(List.of(
            node("edge-1", "linux", "edge"), node("edge-2", "linux", "edge"), node("core-1", "linux", "core"),
            node("edge-win", "windows", "edge")));
    private final AtomicInteger listings = new AtomicInteger();
    private final List<String> labelLookups = new ArrayList<>();
    private final ProgramTargets targets = new ProgramTargets();

    ProgramTargetsTest() {
        targets.readNodesFrom(new NodeLookup() {
            @Override
            public Stream<Node> all() {
                listings.incrementAndGet();
                return nodes.stream();
            }

            @Override
            public Collection<Node> labelled(String key, String value) {
                labelLookups.add(NodeLookup.indexKey(key, value));
                return nodes.stream().filter(node -> value.equals(Nodes.labels(node).get(key))).toList();
            }
        });
    }

    @Test
    void aSelectorThatRequiresALabelValueIsMatchedAgainstThatValuesNodesOnly() {
        LabelSelector edgeIn = new LabelSelectorBuilder().addNewMatchExpression()
                .withKey("tier").withOperator("In").withValues("edge").endMatchExpression().build();
        LabelSelector edgeOrCore = new LabelSelectorBuilder().addNewMatchExpression()
                .withKey("tier").withOperator("In").withValues("edge", "core").endMatchExpression().build();
        LabelSelector edgeAndLinux = new LabelSelectorBuilder()
                .withMatchLabels(Map.of("tier", "edge", "kubernetes.io/os", "linux")).build();

        assertThat(targets.nodesTargetedBy(program("matched-labels", edgeAndLinux))).containsExactly("edge-1", "edge-2");
        assertThat(targets.nodesTargetedBy(program("in-one", edgeIn))).containsExactly("edge-1", "edge-2");
        assertThat(labelLookups).containsExactly("tier=edge", "tier=edge");
        assertThat(listings).as("no selector so far needed every node").hasValue(0);

        assertThat(targets.nodesTargetedBy(program("in-two", edgeOrCore))).containsExactly("core-1", "edge-1", "edge-2");
        assertThat(targets.nodesTargetedBy(program("everywhere", null))).containsExactly("core-1", "edge-1", "edge-2");
        assertThat(listings).as("neither requires one label value").hasValue(2);
    }

    @Test
    void aProgramsSelectorIsEvaluatedOnceAndThenReadFromTheIndex() {
        SignedBpfProgram edge = program("edge-probe", tier("edge"));

        assertThat(targets.nodesTargetedBy(edge)).containsExactly("edge-1", "edge-2");
        assertThat(targets.nodesTargetedBy(edge)).containsExactly("edge-1", "edge-2");
        assertThat(targets.targets(edge, "edge-2")).isTrue();
        assertThat(labelLookups).as("the nodes were looked up once").containsExactly("tier=edge");
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
        assertThat(listings.get() + labelLookups.size()).as("node changes never look the nodes up again").isEqualTo(3);
    }

    @Test
    void aNewSelectorIsEvaluatedAfreshAndAForgottenProgramTargetsNothingKnown() {
        targets.nodesTargetedBy(program("probe", tier("edge")));

        assertThat(targets.nodesTargetedBy(program("probe", tier("core")))).containsExactly("core-1");
        assertThat(labelLookups).containsExactly("tier=edge", "tier=core");

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
