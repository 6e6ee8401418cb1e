package dev.sigil.operator.agent;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.KubernetesResourceUtil;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the agent DaemonSet runs on the nodes. Built from the {@code agent:} section of the operator's
 * config file; every value is checked here so a bad file fails at start with the field named.
 *
 * @param capabilities Linux capabilities (Kubernetes spelling, without {@code CAP_}) granted when
 *     {@code privileged} is false
 * @param healthPort port of the agent's {@code /healthz} and {@code /readyz}, which the kubelet probes;
 *     the agent shares the node's network namespace, so it must be free on every node
 * @param trustConfigMap ConfigMap in the agent's namespace mounted at {@code /etc/sigil/trust}
 * @param javaOptions JVM flags added after the agent image's own (its launcher reads them from
 *     {@code SIGIL_JAVA_OPTS}, splitting at spaces, so each flag is one word starting with {@code -})
 */
public record AgentConfig(
        String image,
        String imagePullPolicy,
        boolean privileged,
        List<String> capabilities,
        List<Toleration> tolerations,
        Optional<ResourceRequirements> resources,
        Optional<String> priorityClassName,
        String pinRoot,
        int healthPort,
        String serviceAccountName,
        String trustConfigMap,
        List<String> javaOptions) {

    public static final String DEFAULT_PIN_ROOT = "/sys/fs/bpf/sigil";
    /** The agent's own default ({@code sigil agent cluster --health-port}). */
    public static final int DEFAULT_HEALTH_PORT = 8082;
    public static final String DEFAULT_SERVICE_ACCOUNT = "sigil-agent";
    public static final String DEFAULT_PULL_POLICY = "IfNotPresent";
    /** What the agent needs without full privilege: load BPF, attach to devices and cgroups, read perf. */
    public static final List<String> MINIMAL_CAPABILITIES = List.of("BPF", "SYS_ADMIN", "NET_ADMIN", "PERFMON");

    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
    private static final Pattern CAPABILITY = Pattern.compile("[A-Z][A-Z_]*");
    /** One word for the launcher's word splitting: no spaces, quotes, globs or control characters. */
    private static final Pattern JAVA_OPTION = Pattern.compile("-[\\x21-\\x7e&&[^\"'\\\\*?\\[\\]]]+");

    public AgentConfig {
        require(image != null && !image.isBlank(), "agent.image is required (the sigil image the node agent runs)");
        require(PULL_POLICIES.contains(imagePullPolicy),
                "agent.imagePullPolicy must be Always, IfNotPresent or Never, got '" + imagePullPolicy + "'");
        capabilities = capabilities.stream().map(AgentConfig::kubernetesCapability).toList();
        require(privileged || !capabilities.isEmpty(),
                "agent.capabilities must not be empty when agent.privileged is false (the agent needs at least BPF)");
        tolerations = List.copyOf(tolerations);
        require(pinRoot.startsWith("/sys/fs/bpf/") && !pinRoot.contains(".."),
                "agent.pinRoot must be a directory under /sys/fs/bpf/, got '" + pinRoot + "'");
        require(healthPort > 0 && healthPort <= 65535, "agent.healthPort must be a port (1-65535), got " + healthPort);
        require(KubernetesResourceUtil.isValidSubdomainName(serviceAccountName),
                "agent.serviceAccountName '" + serviceAccountName + "' is not a valid name");
        require(KubernetesResourceUtil.isValidSubdomainName(trustConfigMap),
                "agent.trustConfigMap '" + trustConfigMap + "' is not a valid ConfigMap name");
        javaOptions = List.copyOf(javaOptions);
        javaOptions.forEach(option -> require(JAVA_OPTION.matcher(option).matches(), "agent.javaOptions: '" + option
                + "' is not one JVM flag (one word starting with '-', without spaces, quotes or glob characters)"));
    }

    /** The defaults for everything but the image and the trust ConfigMap, which have none. */
    public static AgentConfig defaults(String image, String trustConfigMap) {
        return new AgentConfig(image, DEFAULT_PULL_POLICY, true, MINIMAL_CAPABILITIES, List.of(tolerateEverything()),
                Optional.empty(), Optional.empty(), DEFAULT_PIN_ROOT, DEFAULT_HEALTH_PORT, DEFAULT_SERVICE_ACCOUNT, trustConfigMap,
                List.of());
    }

    /**
     * Node agents run wherever a program was scheduled, tainted nodes included: the operator's label,
     * not taints, decides where they go.
     */
    public static Toleration tolerateEverything() {
        Toleration toleration = new Toleration();
        toleration.setOperator("Exists");
        return toleration;
    }

    private static String kubernetesCapability(String name) {
        String upper = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("CAP_") ? upper.substring(4) : upper;
        require(CAPABILITY.matcher(bare).matches(), "agent.capabilities: '" + name + "' is not a capability name");
        return bare;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
