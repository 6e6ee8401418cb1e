package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.pods.NodePod;
import dev.sigil.agent.pods.NodePods;
import dev.sigil.agent.pods.QosClass;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent's informer caches keep of objects as a real API server sends them. */
class TrimmedStoreTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String MANAGED_FIELDS = """
            "managedFields": [{"manager": "kubelet", "operation": "Update", "apiVersion": "v1",
              "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:conditions": {}, "f:images": {}}}}]""";

    private static GenericKubernetesResource untyped(String json) {
        return JSON.unmarshal(json, GenericKubernetesResource.class);
    }

    private static GenericKubernetesResource pod(String resourceVersion, String phase) {
        return untyped("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "web", "namespace": "shop", "uid": "uid-web", "resourceVersion": "%s",
                   "labels": {"app": "web"}, "annotations": {"note": "big"}, %s},
                 "spec": {"nodeName": "node-a", "containers": [{"name": "app", "image": "app:1",
                   "env": [{"name": "A", "value": "1"}]}], "volumes": [{"name": "data", "emptyDir": {}}]},
                 "status": {"phase": "%s", "qosClass": "Burstable", "podIP": "10.0.0.7",
                   "containerStatuses": [{"name": "app", "ready": true, "restartCount": 0, "image": "app:1"}]}}"""
                .formatted(resourceVersion, MANAGED_FIELDS, phase));
    }

    @Test
    void keepsOfAPodItsIdentityLabelsAndTheFieldsTargetingReads() {
        TrimmedStore<GenericKubernetesResource> store = TrimmedStore.keeping(NodePods.POD_FIELDS_READ);
        GenericKubernetesResource full = pod("7", "Running");
        String key = store.getKey(full);
        store.put(key, full);

        GenericKubernetesResource kept = store.get(key);
        assertThat(key).isEqualTo("shop/web");
        assertThat(kept.getMetadata().getName()).isEqualTo("web");
        assertThat(kept.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(kept.getMetadata().getUid()).isEqualTo("uid-web");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(kept.getMetadata().getLabels()).isEqualTo(Map.of("app", "web"));
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(kept.getAdditionalProperties()).isEqualTo(Map.of(
                "spec", Map.of("nodeName", "node-a"),
                "status", Map.of("phase", "Running", "qosClass", "Burstable")));
        assertThat(NodePods.onNode(List.of(kept), "node-a")).containsExactly(
                new NodePod("shop", "web", "uid-web", Map.of("app", "web"), QosClass.of("Burstable")));
        assertThat(NodePods.sameTargeting(kept, full)).as("the trimmed copy reads as the object it came from").isTrue();
    }

    @Test
    void handsBackTheTrimmedPreviousObjectOnUpdateAndForgetsOnRemove() {
        TrimmedStore<GenericKubernetesResource> store = TrimmedStore.keeping(NodePods.POD_FIELDS_READ);
        store.put("shop/web", pod("7", "Running"));
        GenericKubernetesResource before = store.put("shop/web", pod("8", "Succeeded"));

        assertThat(before.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(before.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(NodePods.sameTargeting(before, pod("8", "Succeeded"))).as("the phase moved").isFalse();
        assertThat(store.size()).isOne();
        assertThat(store.keySet()).containsExactly("shop/web");
        assertThat(store.values()).singleElement()
                .satisfies(now -> assertThat(now.getMetadata().getResourceVersion()).isEqualTo("8"));
        assertThat(store.remove("shop/web").getMetadata().getResourceVersion()).isEqualTo("8");
        assertThat(store.size()).isZero();
    }

    @Test
    void keepsOfANodeItsIdentityAndLabelsOnly() {
        GenericKubernetesResource node = untyped("""
                {"apiVersion": "v1", "kind": "Node",
                 "metadata": {"name": "node-a", "uid": "uid-node", "resourceVersion": "3",
                   "labels": {"kubernetes.io/os": "linux"}, %s},
                 "spec": {"podCIDR": "10.0.0.0/24", "providerID": "kind://node-a"},
                 "status": {"images": [{"names": ["registry/app@sha256:0123", "registry/app:1"], "sizeBytes": 1000}],
                   "nodeInfo": {"kubeletVersion": "v1.34.0"}}}""".formatted(MANAGED_FIELDS));
        TrimmedStore<GenericKubernetesResource> store = TrimmedStore.keeping(List.of());
        store.put(store.getKey(node), node);

        GenericKubernetesResource kept = store.get("node-a");
        assertThat(kept.getMetadata().getUid()).isEqualTo("uid-node");
        assertThat(kept.getMetadata().getLabels()).isEqualTo(Map.of("kubernetes.io/os", "linux"));
        assertThat(kept.getAdditionalProperties()).isEmpty();
        assertThat(BpfNodeStates.newNodeState(kept).getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo("uid-node"));
    }

    @Test
    void dropsOfATypedObjectOnlyTheServersAndKubectlsBookkeeping() {
        SignedBpfProgram program = JSON.unmarshal("""
                {"apiVersion": "sigil.dev/v1alpha1", "kind": "SignedBpfProgram",
                 "metadata": {"name": "counter", "uid": "uid-counter", "resourceVersion": "5", "generation": 2,
                   "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\\"spec\\": \\"a copy\\"}",
                     "team": "net"}, %s},
                 "spec": {"nodeSelector": {"matchLabels": {"kubernetes.io/os": "linux"}}}}""".formatted(MANAGED_FIELDS),
                SignedBpfProgram.class);
        TrimmedStore<SignedBpfProgram> store = TrimmedStore.withoutBookkeeping();
        store.put("counter", program);

        SignedBpfProgram kept = store.get("counter");
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getAnnotations()).isEqualTo(Map.of("team", "net"));
        assertThat(kept.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("5");
        assertThat(kept.getSpec().getNodeSelector().getMatchLabels()).containsEntry("kubernetes.io/os", "linux");
    }
}
