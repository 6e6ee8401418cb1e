package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json refuses bad values before anything renders, naming the value. */
class ValuesSchemaTest {
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            operator.replicas                         | 0                         | at '/operator/replicas'
            operator.image.pullPolicy                 | Sometimes                 | at '/operator/image/pullPolicy'
            operator.image.digest                     | sha256:abc                | at '/operator/image/digest'
            operator.securityContext.readOnlyRootFilesystem | false               | at '/operator/securityContext/readOnlyRootFilesystem'
            operator.securityContext.allowPrivilegeEscalation | true              | at '/operator/securityContext/allowPrivilegeEscalation'
            operator.podSecurityContext.runAsNonRoot  | false                     | at '/operator/podSecurityContext/runAsNonRoot'
            operator.deletionTimeout                  | five minutes              | at '/operator/deletionTimeout'
            operator.staleAfterHeartbeats             | 0                         | at '/operator/staleAfterHeartbeats'
            operator.staleAfterHeartbeats             | three                     | at '/operator/staleAfterHeartbeats'
            operator.healthPort                       | 70000                     | at '/operator/healthPort'
            agent.healthPort                          | 0                         | at '/agent/healthPort'
            agent.healthPort                          | 65536                     | at '/agent/healthPort'
            agent.pinRoot                             | /var/lib/sigil            | at '/agent/pinRoot'
            agent.pinRoot                             | /sys/fs/bpf/../etc        | at '/agent/pinRoot'
            agent.capabilities[0]                     | CAP_BPF                   | at '/agent/capabilities/0'
            agent.serviceAccount.name                 | Sigil_Agent               | at '/agent/serviceAccount/name'
            agent.javaOptions[0]                      | Xmx96m                    | at '/agent/javaOptions/0'
            agent.javaOptions[0]                      | -Xmx96m -Xss1m            | at '/agent/javaOptions/0'
            agent.javaOptions[0]                      | -XX:OnError=rm *          | at '/agent/javaOptions/0'
            enforcement.allowed[0]                    | Strict                    | at '/enforcement/allowed/0'
            trust.revokedCertificates[0]              | 5E88                      | at '/trust/revokedCertificates/0'
            trust.revokedKeys[0]                      | sha256:851aed95c47bd50bb36ccbe5c7c5a464ff2ceee3dacb4879c0068f0f69dcd5b7 | at '/trust/revokedKeys/0'
            trust.revokedLoaders[0]                   | 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae | at '/trust/revokedLoaders/0'
            trust.anchors.release\\.txt               | hello                     | at '/trust/anchors
            trust.anchors.release\\.pem               | not a certificate         | at '/trust/anchors
            trust.configMapName                       | ''                        | at '/trust/configMapName'
            agent.unknownSetting                      | true                      | unknownSetting
            """)
    void refusesABadValueNamingIt(String key, String value, String named) {
        Object typed = switch (value) {
            case "true", "false" -> Boolean.parseBoolean(value);
            case "''" -> "";
            default -> value.matches("-?\\d+") ? Integer.parseInt(value) : value;
        };
        assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of(key, typed)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            operator.replicas=2 without leader election | operator.leaderElection | false
            unprivileged agent without capabilities     | agent.privileged        | false
            """)
    void refusesAnInconsistentCombination(String description, String key, String value) {
        Map<String, Object> sets = description.startsWith("operator")
                ? Map.of("operator.replicas", 2, key, false)
                : Map.of(key, false, "agent.capabilities[0]", "PERFMON");
        assertThatThrownBy(() -> RenderedChart.render(List.of(), sets))
                .hasMessageContaining("values don't meet the specifications of the schema");
    }
}
