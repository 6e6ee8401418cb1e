package dev.sigil.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Objects the size a real cluster gives them, for the footprint bench: a Node as a kubelet keeps it (its
 * conditions, addresses, capacity and the images it holds), Pods as a Deployment's replicas look once running
 * (two containers, probes, the service account token volume, status), each with the {@code managedFields} the API
 * server records for its writers, and a resource as client-side {@code kubectl apply} leaves it (a copy of itself in
 * an annotation). Sizes are of a small production node, not a worst case.
 */
final class RealisticObjects {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final ObjectMapper TREE = new ObjectMapper();
    private static final String TIME = "2026-12-01T08:00:00Z";

    private RealisticObjects() {
    }

    static Node node(String name, Map<String, String> labels, int images) {
        Map<String, String> allLabels = new LinkedHashMap<>(labels);
        allLabels.putAll(Map.of("kubernetes.io/arch", "amd64", "beta.kubernetes.io/arch", "amd64", "beta.kubernetes.io/os",
                "linux", "node.kubernetes.io/instance-type", "m6i.xlarge", "topology.kubernetes.io/region", "eu-west-1",
                "topology.kubernetes.io/zone", "eu-west-1a"));
        Node node = new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(allLabels)
                .withAnnotations(Map.of("node.alpha.kubernetes.io/ttl", "0", "volumes.kubernetes.io/controller-managed-attach-detach", "true"))
                .endMetadata()
                .withNewSpec().withPodCIDR("10.244.1.0/24").withPodCIDRs("10.244.1.0/24").withProviderID("aws:///eu-west-1a/i-0123456789abcdef0").endSpec()
                .withNewStatus()
                .withAddresses(List.of(
                        new NodeAddress("10.0.1.17", "InternalIP"),
                        new NodeAddress(name, "Hostname")))
                .withCapacity(resources("4", "16123456Ki", "110", "80Gi"))
                .withAllocatable(resources("3920m", "15123456Ki", "110", "72Gi"))
                .withConditions(List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready").stream()
                        .map(type -> new NodeConditionBuilder().withType(type).withStatus(type.equals("Ready") ? "True" : "False")
                                .withLastHeartbeatTime(TIME).withLastTransitionTime(TIME)
                                .withReason("Kubelet" + (type.equals("Ready") ? "Ready" : "HasNo" + type))
                                .withMessage("kubelet " + (type.equals("Ready") ? "is posting ready status" : "has no " + type)).build())
                        .toList())
                .withImages(IntStream.range(0, images).mapToObj(i -> new ContainerImageBuilder()
                        .withNames("registry.example.com/team-" + i % 5 + "/service-" + i + "@sha256:" + hex(i, 64),
                                "registry.example.com/team-" + i % 5 + "/service-" + i + ":v1." + i + ".0")
                        .withSizeBytes(20_000_000L + i * 1_000_003L).build()).toList())
                .withNewNodeInfo().withArchitecture("amd64").withBootID(UUID.nameUUIDFromBytes(name.getBytes()).toString())
                .withContainerRuntimeVersion("containerd://2.1.4").withKernelVersion("6.18.0").withKubeProxyVersion("")
                .withKubeletVersion("v1.34.2").withMachineID(hex(1, 32)).withOperatingSystem("linux")
                .withOsImage("Debian GNU/Linux 13 (trixie)").withSystemUUID(UUID.nameUUIDFromBytes(name.getBytes()).toString())
                .endNodeInfo()
                .endStatus().build();
        return managed(node, "kubelet", "kubelet");
    }

    /** The {@code index}th pod of a Deployment in namespace {@code team-(index % 5)}, running on {@code node}. */
    static Pod pod(int index, String node) {
        String namespace = namespace(index);
        String app = "service-" + index % 12;
        String name = app + "-7d9f8c6b5-" + hex(index, 5);
        String tokenVolume = "kube-api-access-" + hex(index, 5);
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withGenerateName(app + "-7d9f8c6b5-")
                .withUid(UUID.nameUUIDFromBytes(name.getBytes()).toString())
                .withLabels(Map.of("app.kubernetes.io/name", app, "app.kubernetes.io/part-of", namespace, "pod-template-hash", "7d9f8c6b5"))
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(app + "-7d9f8c6b5")
                .withUid(UUID.nameUUIDFromBytes(app.getBytes()).toString()).withController(true).withBlockOwnerDeletion(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName(node).withServiceAccountName(app).withDnsPolicy("ClusterFirst").withRestartPolicy("Always")
                .withSchedulerName("default-scheduler").withTerminationGracePeriodSeconds(30L).withPriority(0).withEnableServiceLinks(true)
                .withPreemptionPolicy("PreemptLowerPriority")
                .withContainers(container(app, "app", 8080, 12, tokenVolume), container(app, "proxy", 15001, 4, tokenVolume))
                .addNewVolume().withName("config").withNewConfigMap().withName(app + "-config").withDefaultMode(420).endConfigMap().endVolume()
                .addNewVolume().withName(tokenVolume).withNewProjected().withDefaultMode(420)
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L).endServiceAccountToken().endSource()
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt").withPath("ca.crt").endItem().endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef().withApiVersion("v1")
                .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
                .endProjected().endVolume()
                .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(300L).endToleration()
                .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(300L).endToleration()
                .endSpec()
                .withNewStatus().withPhase("Running").withQosClass("Burstable").withHostIP("10.0.1.17").withPodIP("10.244.1." + (index % 250 + 2))
                .withStartTime(TIME)
                .withConditions(List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled").stream()
                        .map(type -> new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(TIME).build()).toList())
                .withContainerStatuses(List.of("app", "proxy").stream().map(container -> new ContainerStatusBuilder().withName(container)
                        .withReady(true).withStarted(true).withRestartCount(0)
                        .withImage("registry.example.com/" + namespace + "/" + app + "-" + container + ":v1.4.2")
                        .withImageID("registry.example.com/" + namespace + "/" + app + "-" + container + "@sha256:" + hex(index, 64))
                        .withContainerID("containerd://" + hex(index * 7 + container.length(), 64))
                        .withNewState().withNewRunning().withStartedAt(TIME).endRunning().endState().build()).toList())
                .endStatus().build();
        return managed(pod, "kube-controller-manager", "kubelet");
    }

    static String namespace(int index) {
        return "team-" + index % 5;
    }

    /** The resource as client-side {@code kubectl apply} leaves it: what was applied, again, in an annotation. */
    static <T extends HasMetadata> T appliedWithKubectl(T resource) {
        String applied = JSON.asJson(resource);
        Map<String, String> annotations = new HashMap<>(resource.getMetadata().getAnnotations() == null ? Map.of()
                : resource.getMetadata().getAnnotations());
        annotations.put(LAST_APPLIED, applied + "\n");
        resource.getMetadata().setAnnotations(annotations);
        return resource;
    }

    private static Container container(String app, String name, int port, int env, String tokenVolume) {
        return new ContainerBuilder().withName(name).withImage("registry.example.com/" + app + "-" + name + ":v1.4.2")
                .withImagePullPolicy("IfNotPresent")
                .addNewPort().withName("http").withContainerPort(port).withProtocol("TCP").endPort()
                .withEnv(IntStream.range(0, env).mapToObj(i -> new EnvVar(
                        "SETTING_" + i, "value-of-setting-" + i, null)).toList())
                .withNewResources().withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
                .withLimits(Map.of("memory", new Quantity("256Mi"))).endResources()
                .addNewVolumeMount().withName("config").withMountPath("/etc/" + app).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName(tokenVolume).withMountPath("/var/run/secrets/kubernetes.io/serviceaccount")
                .withReadOnly(true).endVolumeMount()
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(port).withScheme("HTTP").endHttpGet()
                .withPeriodSeconds(10).withTimeoutSeconds(1).withSuccessThreshold(1).withFailureThreshold(3).endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/live").withNewPort(port).withScheme("HTTP").endHttpGet()
                .withPeriodSeconds(10).withTimeoutSeconds(1).withSuccessThreshold(1).withFailureThreshold(3).endLivenessProbe()
                .withNewSecurityContext().withRunAsNonRoot(true).withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .withTerminationMessagePath("/dev/termination-log").withTerminationMessagePolicy("File")
                .build();
    }

    private static Map<String, Quantity> resources(String cpu, String memory, String pods, String storage) {
        return Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity(pods),
                "ephemeral-storage", new Quantity(storage), "hugepages-2Mi", new Quantity("0"));
    }

    /**
     * The object with the managedFields entries the API server records for its writers: {@code objectWriter} owns
     * metadata and spec; {@code statusWriter} the status, written through the status subresource (one entry for
     * all three when they are the same writer). Each entry's fields are a tree of {@code f:} keys.
     */
    private static <T extends HasMetadata> T managed(T resource, String objectWriter, String statusWriter) {
        JsonNode tree = TREE.valueToTree(JSON.convertValue(resource, Map.class));
        resource.getMetadata().setManagedFields(objectWriter.equals(statusWriter)
                ? List.of(entry(tree, objectWriter, null, "metadata", "spec", "status"))
                : List.of(entry(tree, objectWriter, null, "metadata", "spec"), entry(tree, statusWriter, "status", "status")));
        return resource;
    }

    private static ManagedFieldsEntry entry(JsonNode tree, String manager, String subresource, String... parts) {
        Map<String, Object> owned = new LinkedHashMap<>();
        for (String part : parts) {
            if (tree.has(part)) {
                owned.put("f:" + part, fields(tree.get(part)));
            }
        }
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Update").withApiVersion("v1")
                .withTime(TIME).withFieldsType("FieldsV1").withNewFieldsV1().withAdditionalProperties(owned).endFieldsV1()
                .withSubresource(subresource).build();
    }

    private static Object fields(JsonNode node) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (node.isObject()) {
            node.properties().forEach(field -> fields.put("f:" + field.getKey(), fields(field.getValue())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                String key = item.has("name") ? "k:{\"name\":\"" + item.get("name").asText() + "\"}"
                        : item.has("type") ? "k:{\"type\":\"" + item.get("type").asText() + "\"}" : "v:" + item;
                fields.put(key, item.isObject() ? fields(item) : Map.of());
            }
        }
        return fields;
    }

    private static String hex(int seed, int length) {
        StringBuilder hex = new StringBuilder();
        long value = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        while (hex.length() < length) {
            value ^= value << 13;
            value ^= value >>> 7;
            value ^= value << 17;
            hex.append(Long.toHexString(value & 0xFFFFFFFFL));
        }
        return hex.substring(0, length);
    }
}
