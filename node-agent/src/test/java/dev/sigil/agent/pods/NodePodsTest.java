package dev.sigil.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading untyped Pod and Namespace objects as the API server sends them, missing and odd fields included. */
class NodePodsTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private static GenericKubernetesResource object(String json) {
        return JSON.unmarshal(json, GenericKubernetesResource.class);
    }

    private static GenericKubernetesResource pod(String name, String node, String phase, String qos) {
        return object("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "%s", "namespace": "shop", "uid": "uid-%s", "labels": {"app": "web"}},
                 "spec": {"nodeName": "%s", "containers": [{"name": "app", "image": "app:1"}]},
                 "status": {"phase": "%s", "qosClass": "%s"}}""".formatted(name, name, node, phase, qos));
    }

    @Test
    void readsRunningPodsOnTheNodeWithTheirQosClass() {
        List<NodePod> pods = NodePods.onNode(List.of(
                pod("web", "node-a", "Running", "Burstable"),
                pod("pending", "node-a", "Pending", "Guaranteed"),
                pod("done", "node-a", "Succeeded", "Burstable"),
                pod("failed", "node-a", "Failed", "Burstable"),
                pod("elsewhere", "node-b", "Running", "Burstable")), "node-a");

        assertThat(pods).extracting(NodePod::key).containsExactly("shop/web", "shop/pending");
        assertThat(pods.getFirst()).isEqualTo(new NodePod("shop", "web", "uid-web", Map.of("app", "web"),
                Optional.of(QosClass.Burstable)));
        assertThat(pods.get(1).qos()).contains(QosClass.Guaranteed);
    }

    @Test
    void aPodWithoutStatusOrWithFieldsOfAnotherShapeHasNoQosClass() {
        GenericKubernetesResource noStatus = object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "new", "namespace": "shop"},
                 "spec": {"nodeName": "node-a"}}""");
        GenericKubernetesResource oddStatus = object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "odd", "namespace": "shop"},
                 "spec": {"nodeName": "node-a"}, "status": {"phase": ["Running"], "qosClass": 3}}""");
        GenericKubernetesResource noSpec = object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "unbound", "namespace": "shop"}, "spec": "x"}""");

        List<NodePod> pods = NodePods.onNode(List.of(noStatus, oddStatus, noSpec), "node-a");

        assertThat(pods).extracting(NodePod::key).containsExactly("shop/new", "shop/odd");
        assertThat(pods).allSatisfy(pod -> assertThat(pod.qos()).isEmpty());
        assertThat(pods.getFirst().labels()).isEmpty();
    }

    @Test
    void onlyWhatTargetingReadsMakesAChange() {
        GenericKubernetesResource before = pod("web", "node-a", "Running", "Burstable");
        GenericKubernetesResource annotated = pod("web", "node-a", "Running", "Burstable");
        annotated.getMetadata().setAnnotations(Map.of("note", "not read"));
        annotated.setAdditionalProperty("status", Map.of("phase", "Running", "qosClass", "Burstable", "podIP", "10.0.0.9"));

        assertThat(NodePods.sameTargeting(before, annotated)).isTrue();
        assertThat(NodePods.sameTargeting(before, pod("web", "node-a", "Succeeded", "Burstable"))).isFalse();
        assertThat(NodePods.sameTargeting(before, pod("web", "node-a", "Running", "Guaranteed"))).isFalse();
        assertThat(NodePods.sameTargeting(before, pod("web", "node-b", "Running", "Burstable"))).isFalse();
        GenericKubernetesResource relabelled = pod("web", "node-a", "Running", "Burstable");
        relabelled.getMetadata().setLabels(Map.of("app", "api"));
        assertThat(NodePods.sameTargeting(before, relabelled)).isFalse();
    }

    @Test
    void namespacesWithoutLabelsHaveNone() {
        Map<String, Map<String, String>> labels = NodePods.namespaceLabels(List.of(
                object("{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"shop\", \"labels\": {\"team\": \"pay\"}}}"),
                object("{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"bare\"}}")));

        assertThat(labels).containsExactlyInAnyOrderEntriesOf(Map.of("shop", Map.of("team", "pay"), "bare", Map.of()));
    }
}
