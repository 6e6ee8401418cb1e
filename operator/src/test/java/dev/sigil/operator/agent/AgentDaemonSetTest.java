package dev.sigil.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.operator.Golden;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentDaemonSetTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @Test
    void privilegedByDefault() {
        DaemonSet daemonSet = AgentDaemonSet.desired(AgentConfig.defaults("registry.example/sigil:0.1.0", "sigil-trust"),
                "sigil-system", Optional.empty());

        Golden.assertMatches(YAML.asYaml(daemonSet), "agent-daemonset-privileged.yaml");
    }

    @Test
    void capabilitiesInsteadOfPrivilegeWithEverySettingFromConfig() {
        AgentConfig agent = new AgentConfig("registry.example/sigil:0.1.0", "Always", false,
                List.of("CAP_BPF", "cap_perfmon", "NET_ADMIN", "SYS_ADMIN"),
                List.of(new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("bpf")
                        .withEffect("NoSchedule").build()),
                Optional.of(new ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("128Mi"))
                        .addToLimits("memory", new Quantity("256Mi")).build()),
                Optional.of("system-node-critical"), "/sys/fs/bpf/sigil-prod", 9442, "sigil-agent-prod", "sigil-trust",
                List.of("-XX:TrimNativeHeapInterval=10000", "-Xmx96m"));
        var owner = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withName("sigil-operator").withUid("5f0c0c5e-2a8e-4c5d-9d43-3f6c1c0e7b11").build();

        DaemonSet daemonSet = AgentDaemonSet.desired(agent, "sigil-system", Optional.of(owner));

        Golden.assertMatches(YAML.asYaml(daemonSet), "agent-daemonset-capabilities.yaml");
        assertThat(daemonSet.getSpec().getTemplate().getSpec().getContainers().getFirst().getVolumeMounts())
                .filteredOn(mount -> mount.getMountPath().equals(AgentDaemonSet.BPFFS))
                .singleElement()
                .satisfies(mount -> assertThat(mount.getMountPropagation())
                        .as("the API server admits Bidirectional for privileged containers only")
                        .isEqualTo("HostToContainer"));
    }

    @Test
    void probesAskThePortTheAgentIsToldToServeOn() {
        AgentConfig defaults = AgentConfig.defaults("img", "trust");
        AgentConfig agent = new AgentConfig("img", "Always", true, List.of(), List.of(), Optional.empty(),
                Optional.empty(), defaults.pinRoot(), 9442, "sa", "trust", List.of());

        Container container = AgentDaemonSet.desired(agent, "sigil-system", Optional.empty())
                .getSpec().getTemplate().getSpec().getContainers().getFirst();

        assertThat(container.getCommand()).containsSequence("--health-port", "9442");
        assertThat(container.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getContainerPort()).isEqualTo(9442);
            assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(port.getName());
            assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(port.getName());
        });
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    }

    @Test
    void rejectsConfigurationTheAgentCannotRunWith() {
        AgentConfig defaults = AgentConfig.defaults("img", "trust");
        assertThatThrownBy(() -> AgentConfig.defaults(" ", "trust")).hasMessageContaining("agent.image is required");
        assertThatThrownBy(() -> new AgentConfig("img", "Sometimes", true, List.of(), List.of(), Optional.empty(),
                Optional.empty(), defaults.pinRoot(), 8082, "sa", "trust", List.of())).hasMessageContaining("agent.imagePullPolicy");
        assertThatThrownBy(() -> new AgentConfig("img", "Always", false, List.of(), List.of(), Optional.empty(),
                Optional.empty(), defaults.pinRoot(), 8082, "sa", "trust", List.of())).hasMessageContaining("agent.capabilities must not be empty");
        assertThatThrownBy(() -> new AgentConfig("img", "Always", false, List.of("BPF; rm"), List.of(), Optional.empty(),
                Optional.empty(), defaults.pinRoot(), 8082, "sa", "trust", List.of())).hasMessageContaining("'BPF; rm' is not a capability");
        assertThatThrownBy(() -> new AgentConfig("img", "Always", true, List.of(), List.of(), Optional.empty(),
                Optional.empty(), "/var/run/sigil", 8082, "sa", "trust", List.of())).hasMessageContaining("agent.pinRoot must be a directory under /sys/fs/bpf/");
        assertThatThrownBy(() -> new AgentConfig("img", "Always", true, List.of(), List.of(), Optional.empty(),
                Optional.empty(), defaults.pinRoot(), 0, "sa", "trust", List.of())).hasMessageContaining("agent.healthPort must be a port");
        assertThatThrownBy(() -> new AgentConfig("img", "Always", true, List.of(), List.of(), Optional.empty(),
                Optional.empty(), defaults.pinRoot(), 65536, "sa", "trust", List.of())).hasMessageContaining("got 65536");
        for (String notOneFlag : List.of("Xmx64m", "-Xmx64m -Xss1m", "-XX:OnError=rm *", "-Dname='x'", "-Da=\nb", "")) {
            assertThatThrownBy(() -> new AgentConfig("img", "Always", true, List.of(), List.of(), Optional.empty(),
                    Optional.empty(), defaults.pinRoot(), 8082, "sa", "trust", List.of("-Xss512k", notOneFlag)))
                    .as(notOneFlag).hasMessageContaining("agent.javaOptions: '" + notOneFlag + "' is not one JVM flag");
        }
    }

    @Test
    void passesJavaOptionsToTheAgentImagesLauncherOnlyWhenConfigured() {
        AgentConfig defaults = AgentConfig.defaults("img", "trust");
        AgentConfig tuned = new AgentConfig("img", "Always", true, List.of(), List.of(), Optional.empty(),
                Optional.empty(), defaults.pinRoot(), 8082, "sa", "trust", List.of("-XX:TrimNativeHeapInterval=10000", "-Xmx96m"));

        assertThat(AgentDaemonSet.desired(defaults, "sigil-system", Optional.empty()).getSpec().getTemplate().getSpec()
                .getContainers().getFirst().getEnv()).extracting(EnvVar::getName).containsExactly("NODE_NAME");
        assertThat(AgentDaemonSet.desired(tuned, "sigil-system", Optional.empty()).getSpec().getTemplate().getSpec()
                .getContainers().getFirst().getEnv())
                .filteredOn(env -> env.getName().equals(AgentDaemonSet.JAVA_OPTIONS_ENV))
                .singleElement()
                .extracting(EnvVar::getValue)
                .as("one word per flag, as the launcher splits SIGIL_JAVA_OPTS")
                .isEqualTo("-XX:TrimNativeHeapInterval=10000 -Xmx96m");
    }
}
