package dev.sigil.charts;

import static dev.sigil.charts.Rbac.Request.cluster;
import static dev.sigil.charts.Rbac.Request.namespaced;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator and the agents get exactly what they need, and the dangerous rest is denied. */
class RbacTest {
    private static final String NS = RenderedChart.NAMESPACE;
    private static final RenderedChart CHART = RenderedChart.withDefaults();
    private static final Rbac RBAC = new Rbac(CHART);

    private static boolean operator(Rbac.Request request) {
        return RBAC.allows(NS, "sigil-operator", request);
    }

    private static boolean agent(Rbac.Request request) {
        return RBAC.allows(NS, "sigil-agent", request);
    }

    @Test
    void grantsNoWildcardsAndNoRbacOrSecretAccessAnywhere() {
        assertThat(RBAC.allRules()).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.toString()).doesNotContain("\"*\"");
            assertThat(rule.path("resources").toString()).doesNotContain("secrets", "roles", "rolebindings",
                    "clusterroles", "clusterrolebindings", "serviceaccounts", "pods/exec");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "list", "watch"})
    void neitherOperatorNorAgentCanReadSecrets(String verb) {
        for (String namespace : List.of(NS, "kube-system", "default")) {
            assertThat(operator(namespaced(verb, "", "secrets", namespace))).as("operator %s secrets in %s", verb, namespace).isFalse();
            assertThat(agent(namespaced(verb, "", "secrets", namespace))).as("agent %s secrets in %s", verb, namespace).isFalse();
        }
    }

    @Test
    void agentReadsProgramsAndNodesButCannotChangeThem() {
        for (String verb : List.of("get", "list", "watch")) {
            assertThat(agent(cluster(verb, "sigil.dev", "signedbpfprograms"))).as(verb).isTrue();
            assertThat(agent(cluster(verb, "", "nodes"))).as(verb).isTrue();
        }
        for (String verb : List.of("create", "update", "patch", "delete", "deletecollection")) {
            assertThat(agent(cluster(verb, "sigil.dev", "signedbpfprograms"))).as(verb + " programs").isFalse();
            assertThat(agent(cluster(verb, "sigil.dev", "signedbpfprograms/status"))).as(verb + " program status").isFalse();
            assertThat(agent(cluster(verb, "", "nodes"))).as(verb + " nodes").isFalse();
        }
    }

    @Test
    void agentReadsPodsAndNamespacesForPodTargetsButCannotChangeOrEnterThem() {
        for (String verb : List.of("get", "list", "watch")) {
            assertThat(agent(cluster(verb, "", "pods"))).as(verb + " pods").isTrue();
            assertThat(agent(cluster(verb, "", "namespaces"))).as(verb + " namespaces").isTrue();
        }
        for (String verb : List.of("create", "update", "patch", "delete", "deletecollection")) {
            assertThat(agent(cluster(verb, "", "pods"))).as(verb + " pods").isFalse();
            assertThat(agent(cluster(verb, "", "namespaces"))).as(verb + " namespaces").isFalse();
        }
        assertThat(agent(namespaced("create", "", "pods/exec", "default"))).isFalse();
        assertThat(agent(namespaced("get", "", "pods/log", "default"))).isFalse();
    }

    @Test
    void agentCreatesItsNodeStateOnceAndThenOnlyPatchesItsStatus() {
        assertThat(agent(cluster("get", "sigil.dev", "bpfnodestates").named("node-a"))).isTrue();
        assertThat(agent(cluster("create", "sigil.dev", "bpfnodestates"))).isTrue();
        assertThat(agent(cluster("patch", "sigil.dev", "bpfnodestates/status").named("node-a"))).isTrue();
        assertThat(agent(cluster("update", "sigil.dev", "bpfnodestates").named("node-a"))).isFalse();
        assertThat(agent(cluster("patch", "sigil.dev", "bpfnodestates").named("node-a"))).isFalse();
        assertThat(agent(cluster("delete", "sigil.dev", "bpfnodestates").named("node-a"))).isFalse();
        assertThat(agent(namespaced("get", "", "configmaps", NS).named("sigil-trust")))
                .as("the kubelet mounts the trust bundle; the agent needs no API access to it").isFalse();
        assertThat(agent(namespaced("create", "apps", "daemonsets", NS))).isFalse();
    }

    @Test
    void operatorManagesProgramsStatusFinalizersAndNodeLabels() {
        assertThat(operator(cluster("watch", "sigil.dev", "signedbpfprograms"))).isTrue();
        assertThat(operator(cluster("patch", "sigil.dev", "signedbpfprograms"))).as("finalizers are added by patch").isTrue();
        assertThat(operator(cluster("patch", "sigil.dev", "signedbpfprograms/status"))).isTrue();
        assertThat(operator(cluster("create", "sigil.dev", "signedbpfprograms"))).isFalse();
        assertThat(operator(cluster("delete", "sigil.dev", "signedbpfprograms"))).isFalse();
        assertThat(operator(cluster("list", "sigil.dev", "bpfnodestates"))).isTrue();
        assertThat(operator(cluster("delete", "sigil.dev", "bpfnodestates"))).as("states of nodes that are gone").isTrue();
        assertThat(operator(cluster("patch", "sigil.dev", "bpfnodestates/status"))).as("only agents write node states").isFalse();
        assertThat(operator(cluster("patch", "", "nodes"))).isTrue();
    }

    /** What RBAC can express of "only finalizers, status and the agent label"; the admission policies do the rest. */
    @Test
    void operatorWritesByPatchOnlyAndNeverReplacesCreatesOrDeletesNodesOrPrograms() {
        for (String verb : List.of("update", "create", "delete", "deletecollection")) {
            assertThat(operator(cluster(verb, "sigil.dev", "signedbpfprograms"))).as(verb + " programs").isFalse();
            assertThat(operator(cluster(verb, "sigil.dev", "signedbpfprograms/status"))).as(verb + " program status").isFalse();
            assertThat(operator(cluster(verb, "", "nodes"))).as(verb + " nodes").isFalse();
        }
        for (String verb : List.of("get", "update", "patch")) {
            assertThat(operator(cluster(verb, "", "nodes/status"))).as(verb + " node status").isFalse();
        }
        assertThat(operator(cluster("update", "sigil.dev", "signedbpfprograms/finalizers")))
                .as("only needed to set blockOwnerDeletion on objects a program owns; it owns none").isFalse();
        assertThat(operator(cluster("patch", "", "nodes/proxy"))).isFalse();
    }

    @Test
    void theOperatorsAdmissionPoliciesCoverEveryWriteItsRbacAllowsOnNodesAndPrograms() {
        List<String> covered = CHART.ofKind("ValidatingAdmissionPolicy").stream()
                .filter(policy -> policy.at("/metadata/name").asText().startsWith("sigil-operator-"))
                .flatMap(policy -> StreamSupport.stream(policy.at("/spec/matchConstraints/resourceRules").spliterator(), false))
                .filter(rule -> rule.path("operations").toString().contains("UPDATE"))
                .flatMap(rule -> StreamSupport.stream(rule.path("resources").spliterator(), false))
                .map(JsonNode::asText)
                .toList();
        for (String resource : List.of("nodes", "nodes/status", "signedbpfprograms", "signedbpfprograms/status")) {
            String group = resource.startsWith("nodes") ? "" : "sigil.dev";
            boolean writable = operator(cluster("patch", group, resource)) || operator(cluster("update", group, resource));
            assertThat(!writable || covered.contains(resource)).as("%s is writable but no policy covers it", resource).isTrue();
        }
        assertThat(covered).contains("nodes", "signedbpfprograms", "signedbpfprograms/status");
    }

    @Test
    void operatorWorksOnlyInItsOwnNamespace() {
        assertThat(operator(namespaced("create", "apps", "daemonsets", NS))).isTrue();
        assertThat(operator(namespaced("delete", "apps", "daemonsets", NS))).isTrue();
        assertThat(operator(namespaced("create", "apps", "daemonsets", "kube-system"))).isFalse();
        assertThat(operator(namespaced("create", "", "pods", NS))).isFalse();
        assertThat(operator(namespaced("get", "", "pods", NS).named("sigil-operator-abc"))).isTrue();
    }

    @Test
    void operatorRecordsEventsOnlyInDefaultWhereTheApiServerWantsThoseAboutClusterScopedPrograms() {
        assertThat(operator(namespaced("create", "", "events", "default"))).isTrue();
        assertThat(operator(namespaced("patch", "", "events", "default"))).isTrue();
        assertThat(operator(namespaced("create", "", "events", NS))).isFalse();
        assertThat(operator(namespaced("create", "", "events", "kube-system"))).isFalse();
        assertThat(operator(namespaced("delete", "", "events", "default"))).isFalse();
        assertThat(operator(namespaced("get", "", "configmaps", "default").named("sigil-trust"))).isFalse();
    }

    @Test
    void agentRecordsEventsOnlyInDefaultAndRaisesTheirCountButNeverDeletesThem() {
        assertThat(agent(namespaced("create", "", "events", "default"))).isTrue();
        assertThat(agent(namespaced("get", "", "events", "default").named("counter.0123456789abcdef"))).isTrue();
        assertThat(agent(namespaced("patch", "", "events", "default").named("counter.0123456789abcdef"))).isTrue();
        assertThat(agent(namespaced("create", "", "events", NS))).isFalse();
        assertThat(agent(namespaced("create", "", "events", "kube-system"))).isFalse();
        assertThat(agent(namespaced("delete", "", "events", "default"))).isFalse();
        assertThat(agent(namespaced("list", "", "events", "default"))).isFalse();
    }

    @Test
    void agentWatchesNodeStatesToRewriteItsOwnIfDeletedButCannotChangeThem() {
        assertThat(agent(cluster("list", "sigil.dev", "bpfnodestates"))).isTrue();
        assertThat(agent(cluster("watch", "sigil.dev", "bpfnodestates"))).isTrue();
        assertThat(agent(cluster("delete", "sigil.dev", "bpfnodestates").named("node-b"))).isFalse();
        assertThat(agent(cluster("update", "sigil.dev", "bpfnodestates/status").named("node-b"))).isFalse();
    }

    @Test
    void operatorReadsTheTrustConfigMapAndNoOther() {
        assertThat(operator(namespaced("watch", "", "configmaps", NS).named("sigil-trust"))).isTrue();
        assertThat(operator(namespaced("get", "", "configmaps", NS).named("kube-root-ca.crt"))).isFalse();
        assertThat(operator(namespaced("list", "", "configmaps", NS))).as("unfiltered list").isFalse();
        assertThat(operator(namespaced("update", "", "configmaps", NS).named("sigil-trust"))).isFalse();
    }

    @Test
    void operatorUsesOnlyItsOwnLease() {
        assertThat(operator(namespaced("create", "coordination.k8s.io", "leases", NS))).isTrue();
        assertThat(operator(namespaced("update", "coordination.k8s.io", "leases", NS).named("sigil-operator"))).isTrue();
        assertThat(operator(namespaced("update", "coordination.k8s.io", "leases", NS).named("another-controller"))).isFalse();
    }

    @Test
    void bindsTheConfiguredAgentServiceAccountAndTrustConfigMap() {
        Rbac custom = new Rbac(RenderedChart.render(List.of(RenderedChart.valuesFile("custom.yaml")), Map.of()));

        assertThat(custom.allows(NS, "sigil-node-agent", cluster("create", "sigil.dev", "bpfnodestates"))).isTrue();
        assertThat(custom.allows(NS, "sigil-agent", cluster("create", "sigil.dev", "bpfnodestates"))).isFalse();
        assertThat(custom.allows(NS, "sigil-operator", namespaced("get", "", "configmaps", NS).named("sigil-trust-bundle"))).isTrue();
    }
}
