package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's admission policies, their CEL evaluated with cel-java as the API server would. */
class AdmissionPolicyTest {
    private static final String NODE_NAME_CLAIM = "authentication.kubernetes.io/node-name";
    private static final String AGENT = "system:serviceaccount:sigil-system:sigil-agent";
    private static final AdmissionPolicy OWN_NODE = new AdmissionPolicy(
            RenderedChart.withDefaults().get("ValidatingAdmissionPolicy", "sigil-agent-own-node-state"));
    private static final AdmissionPolicy ENFORCEMENT = new AdmissionPolicy(
            RenderedChart.render(List.of(RenderedChart.valuesFile("custom.yaml")), Map.of())
                    .get("ValidatingAdmissionPolicy", "sigil-allowed-enforcement"));

    @Test
    void letsAnAgentWriteItsOwnNodesState() {
        AdmissionPolicy.Decision decision = OWN_NODE.admit(agentOn("node-a"), nodeState("node-a"));

        assertThat(decision.matched()).isTrue();
        assertThat(decision.admitted()).isTrue();
    }

    @Test
    void refusesAnAgentWritingAnotherNodesState() {
        AdmissionPolicy.Decision decision = OWN_NODE.admit(agentOn("node-a"), nodeState("node-b"));

        assertThat(decision.denials()).containsExactly(
                "the Sigil agent on node node-a may write only the BpfNodeState named node-a, not node-b");
    }

    @Test
    void refusesAnAgentTokenWithoutTheNodeNameClaim() {
        AdmissionPolicy.Request request = AdmissionPolicy.Request.by(AGENT, "CREATE", "sigil.dev", "bpfnodestates");

        AdmissionPolicy.Decision decision = OWN_NODE.admit(request, nodeState("node-a"));

        assertThat(decision.denials()).hasSize(2).first().asString().contains("carries no node-name claim");
    }

    @Test
    void leavesOtherUsersAlone() {
        AdmissionPolicy.Request request = AdmissionPolicy.Request.by("system:serviceaccount:sigil-system:sigil-operator",
                "CREATE", "sigil.dev", "bpfnodestates");

        assertThat(OWN_NODE.admit(request, nodeState("node-b")).matched()).isFalse();
    }

    @Test
    void coversTheStatusSubresourceButNotReadsOrDeletes() {
        assertThat(OWN_NODE.admit(agentOn("node-a").onSubresource("status"), nodeState("node-b")).denials()).hasSize(1);
        assertThat(OWN_NODE.admit(new AdmissionPolicy.Request(AGENT, Map.of(), "DELETE", "sigil.dev", "bpfnodestates", ""),
                nodeState("node-b")).matched()).as("agents have no delete RBAC; the policy is not what stops it").isFalse();
    }

    @Test
    void admitsOnlyTheAllowedEnforcement() {
        AdmissionPolicy.Request request = AdmissionPolicy.Request.by("alice", "UPDATE", "sigil.dev", "signedbpfprograms");

        assertThat(ENFORCEMENT.admit(request, program("Kernel")).admitted()).isTrue();
        assertThat(ENFORCEMENT.admit(request, program("Agent")).denials())
                .containsExactly("spec.enforcement Agent is not allowed in this cluster (allowed: Kernel)");
        assertThat(ENFORCEMENT.admit(request, Map.of("spec", Map.of())).denials())
                .containsExactly("spec.enforcement Auto is not allowed in this cluster (allowed: Kernel)");
    }

    private static AdmissionPolicy.Request agentOn(String node) {
        return AdmissionPolicy.Request.by(AGENT, "UPDATE", "sigil.dev", "bpfnodestates")
                .withExtra(Map.of(NODE_NAME_CLAIM, List.of(node)));
    }

    private static Map<String, Object> nodeState(String name) {
        return Map.of("metadata", Map.of("name", name));
    }

    private static Map<String, Object> program(String enforcement) {
        return Map.of("spec", Map.of("enforcement", enforcement));
    }
}
