package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The operator's two admission policies, evaluated with cel-java over the changes its service account could
 * attempt: on a Node only the agent label, on a SignedBpfProgram only its own finalizer and (through the
 * subresource) the status. Objects are what the API server hands a policy: the whole object before and after.
 */
class OperatorAdmissionPolicyTest {
    private static final String OPERATOR = "system:serviceaccount:sigil-system:sigil-operator";
    private static final String AGENT_LABEL = "sigil.dev/agent";
    private static final String FINALIZER = "sigil.dev/node-unload";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final RenderedChart CHART = RenderedChart.withDefaults();
    private static final AdmissionPolicy NODE = new AdmissionPolicy(
            CHART.get("ValidatingAdmissionPolicy", "sigil-operator-node-agent-label"));
    private static final AdmissionPolicy PROGRAM = new AdmissionPolicy(
            CHART.get("ValidatingAdmissionPolicy", "sigil-operator-program-finalizer"));

    private static final String NODE_YAML = """
            apiVersion: v1
            kind: Node
            metadata:
              name: worker-1
              uid: 6a1f0c1e-0000-4000-8000-000000000001
              resourceVersion: "4711"
              labels: {kubernetes.io/os: linux, kubernetes.io/hostname: worker-1, team: payments}
              annotations: {node.alpha.kubernetes.io/ttl: "0"}
              managedFields: [{manager: kubelet, operation: Update}]
            spec:
              podCIDR: 10.244.1.0/24
              taints: [{key: dedicated, value: ebpf, effect: NoSchedule}]
            status:
              conditions: [{type: Ready, status: "True"}]
            """;

    private static final String PROGRAM_YAML = """
            apiVersion: sigil.dev/v1
            kind: SignedBpfProgram
            metadata:
              name: counter
              uid: 6a1f0c1e-0000-4000-8000-000000000002
              resourceVersion: "815"
              generation: 3
              labels: {app.kubernetes.io/part-of: observability}
              annotations: {argocd.argoproj.io/tracking-id: "observability:sigil.dev/SignedBpfProgram:counter"}
              finalizers: [resources-finalizer.argocd.argoproj.io]
            spec:
              enforcement: Kernel
              nodeSelector: {matchLabels: {team: payments}}
            status:
              observedGeneration: 3
              targetedNodes: 2
            """;

    @Test
    void letsTheOperatorAddTheAgentLabel() {
        assertThat(NODE.admit(node(UPDATE), node(), node(n -> labels(n).remove(AGENT_LABEL))).admitted()).isTrue();
        Map<String, Object> unlabelledBefore = node(n -> n.withObject("metadata").remove("labels"));
        Map<String, Object> onlyTheAgentLabel = node(n -> n.withObject("metadata").putObject("labels").put(AGENT_LABEL, "true"));
        assertThat(NODE.admit(node(UPDATE), onlyTheAgentLabel, unlabelledBefore).admitted())
                .as("a node that had no labels at all").isTrue();
    }

    @Test
    void letsTheOperatorRemoveTheAgentLabel() {
        assertThat(NODE.admit(node(UPDATE), node(n -> labels(n).remove(AGENT_LABEL)), node()).admitted()).isTrue();
    }

    @Test
    void ignoresWhatTheApiServerItselfMovesOnEveryWrite() {
        Map<String, Object> labelled = node(n -> {
            n.withObject("metadata").put("resourceVersion", "4712");
            n.withObject("metadata").putArray("managedFields").addObject().put("manager", "sigil-operator");
        });

        assertThat(NODE.admit(node(UPDATE), labelled, node(n -> labels(n).remove(AGENT_LABEL))).admitted()).isTrue();
    }

    @Test
    void refusesAnyOtherLabelChange() {
        for (Consumer<ObjectNode> change : List.<Consumer<ObjectNode>>of(
                n -> labels(n).put("team", "checkout"),
                n -> labels(n).remove("team"),
                n -> labels(n).put("node-role.kubernetes.io/control-plane", ""))) {
            assertThat(NODE.admit(node(UPDATE), node(change), node()).denials())
                    .containsExactly("the Sigil operator may change only the label sigil.dev/agent of a Node, not its "
                            + "labels other than sigil.dev/agent");
        }
        assertThat(NODE.admit(node(UPDATE), node(n -> labels(n).put("team", "checkout")), node(n -> labels(n).remove(AGENT_LABEL)))
                .denials()).as("together with the agent label").hasSize(1);
    }

    @Test
    void refusesAnAgentLabelValueOtherThanTrue() {
        assertThat(NODE.admit(node(UPDATE), node(n -> labels(n).put(AGENT_LABEL, "false")), node()).denials())
                .containsExactly("the Sigil operator sets the label sigil.dev/agent only to true, not to false");
        assertThat(NODE.admit(node(UPDATE), node(n -> labels(n).put(AGENT_LABEL, "no")), node(n -> labels(n).put(AGENT_LABEL, "no")))
                .admitted()).as("a value someone else set is not the operator's change").isTrue();
    }

    @Test
    void refusesTaintsSpecAnnotationsFinalizersOwnersAndStatus() {
        Map<String, Consumer<ObjectNode>> changes = Map.of(
                "spec (taints, unschedulable, podCIDR...)", n -> n.withObject("spec").withArray("taints").removeAll(),
                "annotations", n -> n.withObject("metadata").withObject("annotations").put("sigil.dev/note", "x"),
                "finalizers", n -> n.withObject("metadata").putArray("finalizers").add("example.com/hold"),
                "ownerReferences", n -> n.withObject("metadata").putArray("ownerReferences").addObject().put("kind", "Machine"),
                "status", n -> n.withObject("status").withArray("conditions").removeAll());
        changes.forEach((what, change) -> assertThat(NODE.admit(node(UPDATE), node(change), node()).denials())
                .as(what).containsExactly("the Sigil operator may change only the label sigil.dev/agent of a Node, not its " + what));
        assertThat(NODE.admit(node(UPDATE), node(n -> n.withObject("spec").put("unschedulable", true)), node()).admitted())
                .as("cordoning").isFalse();
    }

    @Test
    void namesEveryOtherChangeInOneMessage() {
        Map<String, Object> changed = node(n -> {
            labels(n).remove(AGENT_LABEL);
            labels(n).put("team", "checkout");
            n.withObject("spec").put("unschedulable", true);
        });

        assertThat(NODE.admit(node(UPDATE), changed, node()).denials()).containsExactly("the Sigil operator may change only "
                + "the label sigil.dev/agent of a Node, not its labels other than sigil.dev/agent, spec (taints, unschedulable, podCIDR...)");
    }

    @Test
    void coversTheNodeStatusSubresourceButLeavesOtherUsersAndOperationsToTheirRules() {
        assertThat(NODE.admit(node(UPDATE).onSubresource("status"), node(n -> n.withObject("status").removeAll()), node()).admitted())
                .isFalse();
        AdmissionPolicy.Request kubelet = AdmissionPolicy.Request.by("system:node:worker-1", "UPDATE", "", "nodes");
        assertThat(NODE.admit(kubelet, node(n -> n.withObject("spec").put("unschedulable", true)), node()).matched()).isFalse();
        assertThat(NODE.admit(AdmissionPolicy.Request.by(OPERATOR, "DELETE", "", "nodes"), node(), node()).matched())
                .as("RBAC gives the operator no delete; RbacTest checks that").isFalse();
    }

    @Test
    void letsTheOperatorAddAndRemoveItsFinalizer() {
        Map<String, Object> finalized = program(p -> p.withObject("metadata").withArray("finalizers").add(FINALIZER));

        assertThat(PROGRAM.admit(program(UPDATE), finalized, program()).admitted()).isTrue();
        assertThat(PROGRAM.admit(program(UPDATE), program(), finalized).admitted()).isTrue();
        Map<String, Object> deleting = program(p -> p.withObject("metadata").put("deletionTimestamp", "2025-06-01T10:00:00Z"));
        Map<String, Object> deletingFinalized = program(p -> {
            p.withObject("metadata").put("deletionTimestamp", "2025-06-01T10:00:00Z");
            p.withObject("metadata").withArray("finalizers").add(FINALIZER);
        });
        assertThat(PROGRAM.admit(program(UPDATE), deleting, deletingFinalized).admitted()).as("releasing a deleted program").isTrue();
    }

    @Test
    void letsTheOperatorWriteTheStatusThroughItsSubresource() {
        Map<String, Object> counted = program(p -> p.withObject("status").put("targetedNodes", 3L));

        assertThat(PROGRAM.admit(program(UPDATE).onSubresource("status"), counted, program()).admitted()).isTrue();
        assertThat(PROGRAM.admit(program(UPDATE), counted, program()).denials()).containsExactly("the Sigil operator may change "
                + "only its finalizer sigil.dev/node-unload and the status of a SignedBpfProgram, not its status (other than "
                + "through the status subresource)");
    }

    @Test
    void refusesSpecLabelsAnnotationsOtherFinalizersAndOwners() {
        Map<String, Consumer<ObjectNode>> changes = Map.of(
                "spec", p -> p.withObject("spec").put("enforcement", "Agent"),
                "labels", p -> p.withObject("metadata").withObject("labels").put("tier", "x"),
                "annotations", p -> p.withObject("metadata").withObject("annotations").removeAll(),
                "finalizers other than sigil.dev/node-unload", p -> p.withObject("metadata").withArray("finalizers").removeAll(),
                "ownerReferences", p -> p.withObject("metadata").putArray("ownerReferences").addObject().put("kind", "Application"));
        for (var change : changes.entrySet()) {
            for (AdmissionPolicy.Request request : List.of(program(UPDATE), program(UPDATE).onSubresource("status"))) {
                assertThat(PROGRAM.admit(request, program(change.getValue()), program()).denials())
                        .as("%s on %s", change.getKey(), request.resourceWithSubresource())
                        .containsExactly("the Sigil operator may change only its finalizer sigil.dev/node-unload and the status "
                                + "of a SignedBpfProgram, not its " + change.getKey());
            }
        }
        assertThat(PROGRAM.admit(program(UPDATE), program(p -> {
            p.withObject("metadata").withArray("finalizers").add(FINALIZER);
            p.withObject("spec").withObject("nodeSelector").withObject("matchLabels").put("team", "checkout");
        }), program()).admitted()).as("a spec change smuggled in with the finalizer").isFalse();
    }

    @Test
    void leavesSpecEditsByEveryoneElseAlone() {
        AdmissionPolicy.Request gitOps = AdmissionPolicy.Request.by("system:serviceaccount:argocd:argocd-application-controller",
                "UPDATE", "sigil.dev", "signedbpfprograms");

        assertThat(PROGRAM.admit(gitOps, program(p -> p.withObject("spec").put("enforcement", "Agent")), program()).matched()).isFalse();
    }

    @Test
    void bindsBothPoliciesToDenyForTheOperatorOfThisRelease() {
        for (String name : List.of("sigil-operator-node-agent-label", "sigil-operator-program-finalizer")) {
            assertThat(CHART.get("ValidatingAdmissionPolicyBinding", name).at("/spec/validationActions").toString())
                    .isEqualTo("[\"Deny\"]");
            assertThat(CHART.get("ValidatingAdmissionPolicy", name).at("/spec/matchConditions/0/expression").asText())
                    .isEqualTo("request.userInfo.username == \"" + OPERATOR + "\"");
            assertThat(CHART.get("ValidatingAdmissionPolicy", name).at("/spec/failurePolicy").asText()).isEqualTo("Fail");
        }
    }

    private static final String UPDATE = "UPDATE";

    private static AdmissionPolicy.Request node(String operation) {
        return AdmissionPolicy.Request.by(OPERATOR, operation, "", "nodes");
    }

    private static AdmissionPolicy.Request program(String operation) {
        return AdmissionPolicy.Request.by(OPERATOR, operation, "sigil.dev", "signedbpfprograms");
    }

    /** The labelled node: worker-1 carrying sigil.dev/agent=true. */
    private static Map<String, Object> node() {
        return node(n -> { });
    }

    private static Map<String, Object> node(Consumer<ObjectNode> change) {
        ObjectNode node = parse(NODE_YAML);
        labels(node).put(AGENT_LABEL, "true");
        change.accept(node);
        return map(node);
    }

    private static Map<String, Object> program() {
        return program(p -> { });
    }

    private static Map<String, Object> program(Consumer<ObjectNode> change) {
        ObjectNode program = parse(PROGRAM_YAML);
        change.accept(program);
        return map(program);
    }

    private static ObjectNode labels(ObjectNode object) {
        return object.withObject("metadata").withObject("labels");
    }

    private static ObjectNode parse(String yaml) {
        try {
            return (ObjectNode) YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(ObjectNode object) {
        return YAML.convertValue(object, Map.class);
    }
}
