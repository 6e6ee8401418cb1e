package dev.sigil.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.crds.bpfnodestate.NodeStaleness;
import dev.sigil.operator.agent.AgentConfig;
import dev.sigil.operator.trust.ObjectRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OperatorConfigTest {
    private static final ObjectRef TRUST = new ObjectRef("sigil-system", "sigil-trust");

    @TempDir
    Path dir;

    @Test
    void readsEveryAgentSettingAndTheDeletionTimeout() throws IOException {
        Path file = write("""
                agent:
                  image: registry.example/sigil:0.1.0
                  imagePullPolicy: Always
                  privileged: false
                  capabilities: [CAP_BPF, CAP_PERFMON]
                  tolerations:
                  - key: dedicated
                    operator: Equal
                    value: bpf
                    effect: NoSchedule
                  resources:
                    requests: {cpu: 50m, memory: 128Mi}
                  priorityClassName: system-node-critical
                  pinRoot: /sys/fs/bpf/sigil-prod
                  healthPort: 9442
                  serviceAccountName: sigil-agent-prod
                  javaOptions: [-XX:TrimNativeHeapInterval=10000, -Xmx96m]
                deletionTimeout: 90s
                staleAfterHeartbeats: 5
                """);

        OperatorConfig config = OperatorConfig.resolve("sigil-system", TRUST, Optional.of(file), true);

        AgentConfig agent = config.agent();
        assertThat(agent.image()).isEqualTo("registry.example/sigil:0.1.0");
        assertThat(agent.imagePullPolicy()).isEqualTo("Always");
        assertThat(agent.privileged()).isFalse();
        assertThat(agent.capabilities()).containsExactly("BPF", "PERFMON");
        assertThat(agent.tolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(agent.resources()).hasValueSatisfying(r ->
                assertThat(r.getRequests().get("memory").toString()).isEqualTo("128Mi"));
        assertThat(agent.priorityClassName()).contains("system-node-critical");
        assertThat(agent.pinRoot()).isEqualTo("/sys/fs/bpf/sigil-prod");
        assertThat(agent.healthPort()).isEqualTo(9442);
        assertThat(agent.serviceAccountName()).isEqualTo("sigil-agent-prod");
        assertThat(agent.trustConfigMap()).as("defaults to the operator's trust ConfigMap").isEqualTo("sigil-trust");
        assertThat(agent.javaOptions()).containsExactly("-XX:TrimNativeHeapInterval=10000", "-Xmx96m");
        assertThat(config.deletionTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.staleness()).isEqualTo(new NodeStaleness(5));
        assertThat(config.leaderElection()).isTrue();
    }

    @Test
    void appliesDefaultsToAMinimalFile() throws IOException {
        OperatorConfig config = OperatorConfig.resolve("sigil-system", TRUST,
                Optional.of(write("agent: {image: registry.example/sigil:0.1.0}\n")), false);

        assertThat(config.agent()).isEqualTo(AgentConfig.defaults("registry.example/sigil:0.1.0", "sigil-trust"));
        assertThat(config.deletionTimeout()).isEqualTo(OperatorConfig.DEFAULT_DELETION_TIMEOUT);
        assertThat(config.staleness()).isEqualTo(new NodeStaleness(NodeStaleness.DEFAULT_HEARTBEATS));
    }

    @Test
    void failsNamingTheFileAndTheProblem() throws IOException {
        Path typo = write("agent: {image: x, imagePolicy: Always}\n");
        assertThatThrownBy(() -> OperatorConfig.resolve("sigil-system", TRUST, Optional.of(typo), true))
                .hasMessageContaining(typo.toString()).hasMessageContaining("imagePolicy");
        Path badTimeout = write("agent: {image: x}\ndeletionTimeout: soon\n");
        assertThatThrownBy(() -> OperatorConfig.resolve("sigil-system", TRUST, Optional.of(badTimeout), true))
                .hasMessageContaining("'soon' is not a duration");
        Path badPort = write("agent: {image: x, healthPort: 80820}\n");
        assertThatThrownBy(() -> OperatorConfig.resolve("sigil-system", TRUST, Optional.of(badPort), true))
                .hasMessageContaining(badPort.toString()).hasMessageContaining("agent.healthPort must be a port");
        Path longName = write("agent: {image: x, serviceAccountName: " + "a".repeat(254) + "}\n");
        assertThatThrownBy(() -> OperatorConfig.resolve("sigil-system", TRUST, Optional.of(longName), true))
                .hasMessageContaining("agent.serviceAccountName '" + "a".repeat(254) + "' is not a valid name");
        Path twoFlagsInOne = write("agent: {image: x, javaOptions: ['-Xmx96m -Xss512k']}\n");
        assertThatThrownBy(() -> OperatorConfig.resolve("sigil-system", TRUST, Optional.of(twoFlagsInOne), false))
                .hasMessageContaining(twoFlagsInOne.toString())
                .hasMessageContaining("agent.javaOptions: '-Xmx96m -Xss512k' is not one JVM flag");
        Path neverStale = write("agent: {image: x}\nstaleAfterHeartbeats: 0\n");
        assertThatThrownBy(() -> OperatorConfig.resolve("sigil-system", TRUST, Optional.of(neverStale), true))
                .hasMessageContaining(neverStale.toString())
                .hasMessageContaining("staleAfterHeartbeats must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> OperatorConfig.resolve("sigil-system", TRUST, Optional.empty(), true))
                .hasMessageContaining("agent.image is required");
        assertThatThrownBy(() -> OperatorConfig.resolve("sigil-system", TRUST, Optional.of(dir.resolve("absent.yaml")), true))
                .hasMessageContaining("cannot read the operator config");
    }

    @Test
    void trustConfigMapInAnotherNamespaceNeedsAnAgentCopy() throws IOException {
        ObjectRef elsewhere = new ObjectRef("security", "release-keys");
        Path file = write("agent: {image: x}\n");
        assertThatThrownBy(() -> OperatorConfig.resolve("sigil-system", elsewhere, Optional.of(file), true))
                .hasMessageContaining("agent.trustConfigMap is required")
                .hasMessageContaining("security/release-keys");

        OperatorConfig config = OperatorConfig.resolve("sigil-system", elsewhere,
                Optional.of(write("agent: {image: x, trustConfigMap: sigil-trust-copy}\n")), true);
        assertThat(config.agent().trustConfigMap()).isEqualTo("sigil-trust-copy");
    }

    @Test
    void durationsReadLikeKubernetesOrIso() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("P5X")).hasMessageContaining("not an ISO-8601 duration");
    }

    @Test
    void trustConfigMapFlagNeedsNamespaceAndName() {
        assertThat(ObjectRef.parse("sigil-system/sigil-trust")).isEqualTo(TRUST);
        assertThatThrownBy(() -> ObjectRef.parse("sigil-trust")).hasMessageContaining("expected NAMESPACE/NAME");
        assertThatThrownBy(() -> ObjectRef.parse("Sigil/trust")).hasMessageContaining("'Sigil' is not a valid namespace");
        assertThatThrownBy(() -> ObjectRef.parse("sigil-system/trust..copy"))
                .hasMessageContaining("'trust..copy' is not a valid object name");
    }

    @Test
    void flagsOverrideDefaultsAndLeaderElectionCanBeSwitchedOff() throws IOException {
        Path file = write("agent: {image: x}\n");
        OperatorMain main = new OperatorMain();
        new CommandLine(main).parseArgs("--namespace", "bpf", "--trust-configmap", "bpf/keys", "--config", file.toString(),
                "--no-leader-election", "--health-port", "9081", "--metrics-port", "9080");

        OperatorConfig config = main.config();

        assertThat(config.namespace()).isEqualTo("bpf");
        assertThat(config.trustConfigMap()).isEqualTo(new ObjectRef("bpf", "keys"));
        assertThat(config.leaderElection()).isFalse();
        assertThat(main.healthPort).isEqualTo(9081);
        assertThat(main.metricsPort).isEqualTo(9080);

        OperatorMain defaults = new OperatorMain();
        new CommandLine(defaults).parseArgs("--trust-configmap", "sigil-system/sigil-trust", "--config", file.toString());
        assertThat(defaults.config().leaderElection()).isTrue();
        assertThat(defaults.config().namespace()).isEqualTo("sigil-system");
        assertThat(defaults.healthPort).isEqualTo(8081);
        assertThat(defaults.metricsPort).isEqualTo(8080);
    }

    @Test
    void versionIsTheBuildsVersionAndNeedsNoCluster() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = new CommandLine(new OperatorMain());
        commandLine.setOut(new PrintWriter(out, true));

        assertThat(commandLine.execute("--version")).isZero();
        assertThat(out).hasToString("sigil-operator " + System.getProperty("sigil.version") + "\n");
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "operator", ".yaml");
        return Files.writeString(file, yaml);
    }
}
