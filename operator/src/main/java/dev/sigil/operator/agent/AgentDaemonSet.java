package dev.sigil.operator.agent;

import dev.sigil.crds.SigilApi;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The node-agent DaemonSet the operator wants, as a pure function of its configuration. */
public final class AgentDaemonSet {
    public static final String NAME = "sigil-agent";
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    public static final String TRUST_MOUNT_PATH = "/etc/sigil/trust";
    public static final String BPFFS = "/sys/fs/bpf";
    public static final String BTF = "/sys/kernel/btf";
    public static final String CGROUP = "/sys/fs/cgroup";

    public static final String LIVENESS_PATH = "/healthz";
    public static final String READINESS_PATH = "/readyz";

    /** The agent image's launcher adds these JVM flags to its own. */
    public static final String JAVA_OPTIONS_ENV = "SIGIL_JAVA_OPTS";

    private static final String CONTAINER = "agent";
    private static final String HEALTH_PORT_NAME = "health";

    private AgentDaemonSet() {
    }

    /**
     * @param owner the operator's own Deployment when known: the DaemonSet serves every program, so no
     *     single (cluster-scoped) program owns it; it goes when the operator is uninstalled
     */
    public static DaemonSet desired(AgentConfig agent, String namespace, Optional<OwnerReference> owner) {
        Map<String, String> selectorLabels = Map.of(NAME_LABEL, NAME);
        return new DaemonSetBuilder()
                .withNewMetadata()
                    .withName(NAME)
                    .withNamespace(namespace)
                    .withLabels(labels())
                    .withOwnerReferences(owner.stream().toList())
                .endMetadata()
                .withNewSpec()
                    .withNewSelector().withMatchLabels(selectorLabels).endSelector()
                    .withNewUpdateStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate().withNewMaxUnavailable(1).endRollingUpdate()
                    .endUpdateStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels()).endMetadata()
                        .withNewSpec()
                            .withNodeSelector(Map.of(SigilApi.AGENT_NODE_LABEL, "true"))
                            .withServiceAccountName(agent.serviceAccountName())
                            // XDP and tcx attach to the node's own interfaces.
                            .withHostNetwork(true)
                            .withDnsPolicy("ClusterFirstWithHostNet")
                            .withPriorityClassName(agent.priorityClassName().orElse(null))
                            .withTolerations(agent.tolerations())
                            .withContainers(container(agent))
                            .withVolumes(volumes(agent))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME_LABEL, NAME);
        labels.put("app.kubernetes.io/component", "node-agent");
        labels.put("app.kubernetes.io/part-of", "sigil");
        labels.put("app.kubernetes.io/managed-by", "sigil-operator");
        return labels;
    }

    private static Container container(AgentConfig agent) {
        List<String> command = new ArrayList<>(List.of("sigil", "agent", "cluster", "--trust", TRUST_MOUNT_PATH,
                "--health-port", Integer.toString(agent.healthPort())));
        if (!agent.pinRoot().equals(AgentConfig.DEFAULT_PIN_ROOT)) {
            command.addAll(List.of("--pin-root", agent.pinRoot()));
        }
        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(agent.image())
                .withImagePullPolicy(agent.imagePullPolicy())
                .withCommand(command)
                .addNewEnv()
                    .withName("NODE_NAME")
                    .withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom()
                .endEnv();
        if (!agent.javaOptions().isEmpty()) {
            container.addNewEnv().withName(JAVA_OPTIONS_ENV).withValue(String.join(" ", agent.javaOptions())).endEnv();
        }
        return container
                // With hostNetwork the port is the node's: declaring it lets the scheduler see a clash.
                .addNewPort()
                    .withName(HEALTH_PORT_NAME).withContainerPort(agent.healthPort()).withProtocol("TCP")
                .endPort()
                // Ready once the agent has acted on a synced view of the programs, so a rolling update
                // moves to the next node only after this one has taken over its programs again.
                .withReadinessProbe(probe(READINESS_PATH, 0, 5))
                // /healthz turns 503 once the agent's work loop has stalled for two retry intervals; a
                // restart keeps pinned programs attached. The delay covers the JVM's start on a busy node.
                .withLivenessProbe(probe(LIVENESS_PATH, 15, 10))
                .withSecurityContext(securityContext(agent))
                .withResources(agent.resources().orElse(null))
                .withVolumeMounts(volumeMounts(agent))
                .build();
    }

    private static Probe probe(String path, int initialDelaySeconds, int periodSeconds) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withNewPort(HEALTH_PORT_NAME).endHttpGet()
                .withInitialDelaySeconds(initialDelaySeconds)
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(5)
                .withFailureThreshold(3)
                .build();
    }

    private static SecurityContext securityContext(AgentConfig agent) {
        SecurityContextBuilder context = new SecurityContextBuilder()
                .withRunAsUser(0L)
                .withReadOnlyRootFilesystem(true);
        if (agent.privileged()) {
            return context.withPrivileged(true).build();
        }
        Capabilities capabilities = new CapabilitiesBuilder()
                .withAdd(agent.capabilities())
                .withDrop("ALL")
                .build();
        return context.withPrivileged(false)
                .withAllowPrivilegeEscalation(false)
                .withCapabilities(capabilities)
                .build();
    }

    private static List<VolumeMount> volumeMounts(AgentConfig agent) {
        return List.of(
                new VolumeMountBuilder().withName("bpffs").withMountPath(BPFFS)
                        // The API server admits Bidirectional only for privileged containers; pins are
                        // files in the host's bpffs either way, only new mounts would not propagate.
                        .withMountPropagation(agent.privileged() ? "Bidirectional" : "HostToContainer")
                        .build(),
                new VolumeMountBuilder().withName("btf").withMountPath(BTF).withReadOnly(true).build(),
                new VolumeMountBuilder().withName("cgroup").withMountPath(CGROUP).withReadOnly(true).build(),
                new VolumeMountBuilder().withName("trust").withMountPath(TRUST_MOUNT_PATH).withReadOnly(true).build());
    }

    private static List<Volume> volumes(AgentConfig agent) {
        return List.of(
                hostPath("bpffs", BPFFS),
                hostPath("btf", BTF),
                hostPath("cgroup", CGROUP),
                new VolumeBuilder().withName("trust")
                        .withNewConfigMap().withName(agent.trustConfigMap()).endConfigMap()
                        .build());
    }

    private static Volume hostPath(String name, String path) {
        return new VolumeBuilder().withName(name)
                .withNewHostPath().withPath(path).withType("Directory").endHostPath()
                .build();
    }
}
