package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.operator.OperatorConfig;
import dev.sigil.operator.agent.AgentDaemonSet;
import dev.sigil.operator.trust.ObjectRef;
import dev.sigil.operator.signedbpfprogram.ProgramVerifier;
import dev.sigil.operator.signedbpfprogram.VerificationOutcome;
import dev.sigil.operator.trust.TrustConfigMap;
import dev.sigil.operator.trust.TrustState;
import dev.sigil.signing.Certificates;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.TrustBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart rendered by the real Helm, for the defaults and a non-default set of values. */
class ChartRenderingTest {
    private static final RenderedChart DEFAULTS = RenderedChart.withDefaults();
    private static final RenderedChart CUSTOM = RenderedChart.render(List.of(RenderedChart.valuesFile("custom.yaml")), Map.of());

    /** Keys the operator's --config file accepts; it refuses unknown ones (FAIL_ON_UNKNOWN_PROPERTIES). */
    private static final Set<String> OPERATOR_CONFIG_KEYS = Set.of("agent", "deletionTimeout", "staleAfterHeartbeats");
    private static final Set<String> OPERATOR_AGENT_KEYS = Set.of("image", "imagePullPolicy", "privileged",
            "capabilities", "tolerations", "resources", "priorityClassName", "pinRoot", "healthPort",
            "serviceAccountName", "trustConfigMap", "javaOptions");

    static Stream<RenderedChart> renderings() {
        return Stream.of(DEFAULTS, CUSTOM);
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void rendersOnlyObjectsTheKubernetesModelKnowsWithoutUnknownFields(RenderedChart chart) {
        List<HasMetadata> objects = chart.objects();

        assertThat(objects).isNotEmpty().allSatisfy(object -> {
            assertThat(object.getMetadata().getName()).as("name of a %s", object.getKind()).isNotBlank();
            assertThat(object.getMetadata().getLabels()).as("labels of %s", object.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/part-of", "sigil")
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsKey("app.kubernetes.io/name");
            assertThat(ModelStrictness.unknownFields(object)).as("unknown fields of %s %s", object.getKind(),
                    object.getMetadata().getName()).isEmpty();
        });
        assertThat(objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).collect(Collectors.toList()))
                .doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void putsNamespacedObjectsInTheReleaseNamespaceButTheEventRightsInDefault(RenderedChart chart) {
        Set<String> clusterScoped = Set.of("ClusterRole", "ClusterRoleBinding", "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding");
        for (HasMetadata object : chart.objects()) {
            if (clusterScoped.contains(object.getKind())) {
                assertThat(object.getMetadata().getNamespace()).as(object.getKind()).isNull();
            } else if (Set.of("sigil-operator-events", "sigil-agent-events").contains(object.getMetadata().getName())) {
                assertThat(object.getMetadata().getNamespace())
                        .as("%s: the API server keeps Events about cluster-scoped programs in default", object.getKind())
                        .isEqualTo("default");
            } else {
                assertThat(object.getMetadata().getNamespace()).as(object.getKind()).isEqualTo(RenderedChart.NAMESPACE);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void hardensTheOperatorPod(RenderedChart chart) {
        PodSpec pod = chart.get(Deployment.class, "sigil-operator").getSpec().getTemplate().getSpec();
        Container operator = pod.getContainers().getFirst();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(operator.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(operator.getSecurityContext().getCapabilities().getAdd()).isEmpty();
        assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(operator.getResources().getLimits()).containsKey("memory");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("health");
            assertThat(port.getContainerPort()).isEqualTo(8081);
        });
        assertThat(operator.getVolumeMounts()).allSatisfy(mount ->
                assertThat(mount.getMountPath()).isIn("/etc/sigil-operator", "/tmp"));
    }

    @Test
    void passesTheOperatorItsContractFlagsAsEnvironment() {
        Container operator = DEFAULTS.get(Deployment.class, "sigil-operator").getSpec().getTemplate().getSpec()
                .getContainers().getFirst();
        Map<String, String> env = operator.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

        assertThat(env).containsEntry("SIGIL_NAMESPACE", "sigil-system")
                .containsEntry("SIGIL_TRUST_CONFIGMAP", "sigil-system/sigil-trust")
                .containsEntry("SIGIL_OPERATOR_CONFIG", "/etc/sigil-operator/config.yaml")
                .containsEntry("SIGIL_LEADER_ELECTION", "true")
                .containsEntry("SIGIL_HEALTH_PORT", "8081")
                .containsEntry("SIGIL_METRICS_PORT", "8080");
        assertThat(operator.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("POD_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        });
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void writesAnOperatorConfigFileWithOnlyTheKeysTheOperatorAccepts(RenderedChart chart) {
        JsonNode config = RenderedChart.yaml(chart.get(ConfigMap.class, "sigil-operator-config").getData().get("config.yaml"));

        assertThat(fieldNames(config)).isSubsetOf(OPERATOR_CONFIG_KEYS);
        assertThat(fieldNames(config.path("agent"))).isSubsetOf(OPERATOR_AGENT_KEYS)
                .contains("image", "privileged", "pinRoot", "healthPort", "serviceAccountName", "trustConfigMap");
    }

    @Test
    void carriesTheAgentSettingsIntoTheOperatorConfig() {
        JsonNode config = RenderedChart.yaml(CUSTOM.get(ConfigMap.class, "sigil-operator-config").getData().get("config.yaml"));

        assertThat(config.path("deletionTimeout").asText()).isEqualTo("90s");
        assertThat(config.path("staleAfterHeartbeats").isInt()).as("a number, as the operator reads it").isTrue();
        assertThat(config.path("staleAfterHeartbeats").asInt()).isEqualTo(5);
        JsonNode agent = config.path("agent");
        assertThat(agent.path("image").asText()).isEqualTo("registry.example.com/platform/sigil-agent:0.1.0-rc1");
        assertThat(agent.path("privileged").asBoolean(true)).isFalse();
        assertThat(agent.path("capabilities")).extracting(JsonNode::asText).containsExactly("BPF", "PERFMON", "NET_ADMIN");
        assertThat(agent.path("pinRoot").asText()).isEqualTo("/sys/fs/bpf/platform/sigil");
        assertThat(agent.path("healthPort").isInt()).as("a number, as the operator reads it").isTrue();
        assertThat(agent.path("healthPort").asInt()).isEqualTo(9082);
        assertThat(agent.path("serviceAccountName").asText()).isEqualTo("sigil-node-agent");
        assertThat(agent.path("trustConfigMap").asText()).isEqualTo("sigil-trust-bundle");
        assertThat(agent.path("tolerations").get(0).path("value").asText()).isEqualTo("ebpf");
        assertThat(agent.has("priorityClassName")).as("empty priority class is left out").isFalse();
        assertThat(agent.path("javaOptions")).extracting(JsonNode::asText)
                .containsExactly("-Xmx96m", "-XX:TrimNativeHeapInterval=5000");
        assertThat(RenderedChart.yaml(DEFAULTS.get(ConfigMap.class, "sigil-operator-config").getData().get("config.yaml"))
                .path("agent").has("javaOptions")).as("no JVM flags beyond the image's unless asked").isFalse();
        assertThat(CUSTOM.get(Deployment.class, "sigil-operator").getSpec().getTemplate().getSpec().getContainers()
                .getFirst().getImage())
                .isEqualTo("registry.example.com/platform/sigil-operator@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9");
    }

    @Test
    void agentJavaOptionsReachTheAgentContainerThroughTheOperatorsConfig(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("config.yaml"),
                CUSTOM.get(ConfigMap.class, "sigil-operator-config").getData().get("config.yaml"));
        OperatorConfig operatorConfig = OperatorConfig.resolve(RenderedChart.NAMESPACE,
                new ObjectRef(RenderedChart.NAMESPACE, "sigil-trust-bundle"), Optional.of(config), true);

        Container agent = AgentDaemonSet.desired(operatorConfig.agent(), RenderedChart.NAMESPACE, Optional.empty())
                .getSpec().getTemplate().getSpec().getContainers().getFirst();

        assertThat(agent.getEnv()).filteredOn(env -> env.getName().equals(AgentDaemonSet.JAVA_OPTIONS_ENV))
                .singleElement().extracting(EnvVar::getValue)
                .as("what the agent image's launcher appends to its own JVM flags")
                .isEqualTo("-Xmx96m -XX:TrimNativeHeapInterval=5000");
    }

    @Test
    void rollsTheOperatorWhenItsConfigChangesButNotOtherwise() {
        String checksum = checksum(DEFAULTS);
        assertThat(checksum).matches("[0-9a-f]{64}");
        assertThat(checksum(RenderedChart.withDefaults())).isEqualTo(checksum);
        assertThat(checksum(RenderedChart.render(List.of(), Map.of("agent.pinRoot", "/sys/fs/bpf/other"))))
                .isNotEqualTo(checksum);
        assertThat(checksum(RenderedChart.render(List.of(), Map.of("trust.revokedLoaders[0]", "sha256:" + "a".repeat(64)))))
                .as("the trust bundle is watched live, no restart").isEqualTo(checksum);
    }

    @Test
    void writesTheTrustBundleInTheTrustDirectoryLayout() {
        Map<String, String> data = CUSTOM.get(ConfigMap.class, "sigil-trust-bundle").getData();

        assertThat(data).containsOnlyKeys("release-ca.pem", "revoked-certificates", "revoked-keys", "revoked-loaders",
                "unbound-programs");
        assertThat(data.get("unbound-programs")).isEqualTo("Admit");
        assertThat(RenderedChart.withDefaults().get(ConfigMap.class, "sigil-trust").getData())
                .containsEntry("unbound-programs", "Reject");
        assertThat(data.get("release-ca.pem")).startsWith("-----BEGIN CERTIFICATE-----").endsWith("-----END CERTIFICATE-----\n");
        assertThat(entries(data.get("revoked-certificates")))
                .containsExactly("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8");
        assertThat(entries(data.get("revoked-keys")))
                .containsExactly("851aed95c47bd50bb36ccbe5c7c5a464ff2ceee3dacb4879c0068f0f69dcd5b7");
        assertThat(entries(data.get("revoked-loaders")))
                .containsExactly("sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");
        assertThat(CUSTOM.find("ConfigMap", "sigil-trust")).isEmpty();
    }

    /** trust.revokedKeys end to end: rendered, read by the operator's trust reader, and the signer's program refused. */
    @Test
    void aRevokedSigningKeyInTheValuesRejectsItsProgramsInTheOperator(@TempDir Path dir) throws Exception {
        Path example = RenderedChart.repositoryRoot().resolve("examples/gitops");
        String pem = Files.readString(example.resolve("trust/demo-signer.pem"));
        X509Certificate signer = TrustBundle.load(example.resolve("trust/demo-signer.pem")).anchors().getFirst();
        String key = Certificates.publicKeySha256(signer);
        SignedBpfProgramSpec spec = new KubernetesSerialization().unmarshal(
                Files.readString(example.resolve("programs/counter.yaml")), SignedBpfProgram.class).getSpec();
        ProgramVerifier verifier = new ProgramVerifier(Clock.systemUTC());

        TrustState trusted = operatorTrust(dir.resolve("trusted.yaml"), Map.of("demo.pem", pem), List.of());
        TrustState revoked = operatorTrust(dir.resolve("revoked.yaml"), Map.of("demo.pem", pem), List.of(key));

        assertThat(verifier.verify(spec, trusted)).isInstanceOf(VerificationOutcome.Verified.class);
        assertThat(((TrustState.Loaded) revoked).bundle().revocations().keyFingerprints()).containsExactly(key);
        assertThat(verifier.verify(spec, revoked)).isInstanceOfSatisfying(VerificationOutcome.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(ReasonCode.Revoked.name());
            assertThat(rejected.message()).contains("public key", key, "is revoked");
        });
    }

    private static TrustState operatorTrust(Path values, Map<String, String> anchors, List<String> revokedKeys)
            throws IOException {
        Files.writeString(values, new ObjectMapper(new YAMLFactory()).writeValueAsString(
                Map.of("trust", Map.of("anchors", anchors, "revokedKeys", revokedKeys))));
        ConfigMap rendered = RenderedChart.render(List.of(values), Map.of()).get(ConfigMap.class, "sigil-trust");
        return TrustConfigMap.parse(new ObjectRef(RenderedChart.NAMESPACE, "sigil-trust"), rendered);
    }

    @Test
    void leavesATrustConfigMapManagedElsewhereAlone() {
        RenderedChart chart = RenderedChart.render(List.of(), Map.of("trust.create", false, "trust.configMapName", "from-git"));

        assertThat(chart.ofKind("ConfigMap")).extracting(doc -> doc.at("/metadata/name").asText())
                .containsExactly("sigil-operator-config");
        assertThat(chart.manifest()).contains("value: sigil-system/from-git");
    }

    @Test
    void rendersTheEnforcementPolicyOnlyWhenSomethingIsDisallowed() {
        assertThat(DEFAULTS.find("ValidatingAdmissionPolicy", "sigil-allowed-enforcement")).isEmpty();
        JsonNode policy = CUSTOM.get("ValidatingAdmissionPolicy", "sigil-allowed-enforcement");
        assertThat(policy.at("/spec/validations/0/expression").asText()).isEqualTo("variables.enforcement in [\"Kernel\"]");
        assertThat(CUSTOM.find("ValidatingAdmissionPolicyBinding", "sigil-allowed-enforcement")).isPresent();
    }

    @Test
    void canLeaveOutTheOwnNodePolicyAndTheMetricsService() {
        RenderedChart chart = RenderedChart.render(List.of(), Map.of("agent.restrictToOwnNode", false));

        assertThat(chart.ofKind("ValidatingAdmissionPolicy")).extracting(policy -> policy.at("/metadata/name").asText())
                .as("the operator's policies stay").containsExactly("sigil-operator-node-agent-label", "sigil-operator-program-finalizer");
        assertThat(DEFAULTS.find("Service", "sigil-operator-metrics")).isPresent();
        assertThat(CUSTOM.find("Service", "sigil-operator-metrics")).isEmpty();
    }

    private static String checksum(RenderedChart chart) {
        return chart.get(Deployment.class, "sigil-operator").getSpec().getTemplate().getMetadata().getAnnotations()
                .get("checksum/config");
    }

    private static List<String> entries(String lines) {
        return lines.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
