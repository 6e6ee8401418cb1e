package dev.sigil.operator.signedbpfprogram;

import static dev.sigil.operator.NodeAgentFake.failed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.crds.BoundedText;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.schema.CommittedCrds;
import dev.sigil.crds.schema.CrdSchemaValidator;
import dev.sigil.crds.schema.Violation;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.status.FailingNode;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.operator.TestPrograms;
import dev.sigil.operator.conditions.ConditionType;
import dev.sigil.operator.conditions.ProgramConditions;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.SignerIdentity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The status the builder writes, checked against the committed CRD the way the API server checks a
 * status patch, with text of any length and shape that node agents and certificates supply. (The
 * strict mock API server refuses such a status too, but only for the cases a test happens to write.)
 */
class ProgramStatusSchemaTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final CrdSchemaValidator COMMITTED_SCHEMA = new CrdSchemaValidator(CommittedCrds.forKind(SignedBpfProgram.class));
    private static final SignedBpfProgram PROGRAM = TestPrograms.program("adversarial",
            TestPrograms.sign(TestPrograms.newSigner("release")), Map.of("sigil.dev/pool", "bpf"));
    private static final String HASH = "sha256:" + "ab".repeat(32);
    private static final String BEE = "\uD83D\uDC1D";
    private static final String HUGE = "EPERM attaching to eth0: " + "x".repeat(40_000);

    private final ProgramStatusBuilder builder =
            new ProgramStatusBuilder(Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void fiftyFailingNodesWithHugeMessagesAndOddReasonsFitTheSchema() {
        List<String> reasons = List.of("R".repeat(500), "attach failed: EPERM\n", "ÄttachFailed", BEE.repeat(300), "");
        List<String> messages = List.of(HUGE, BEE.repeat(5_000), "a".repeat(FailingNode.MAX_MESSAGE - 2) + BEE.repeat(3),
                "", "\u0000\u001b[31mred\u001b[0m");
        TreeSet<String> targeted = new TreeSet<>();
        SortedMap<String, NodeProgramState> reports = new TreeMap<>();
        for (int i = 0; i < 50; i++) {
            String node = longestNodeName(i);
            targeted.add(node);
            reports.put(node, failed("adversarial", 1, i % 7 == 6 ? null : reasons.get(i % reasons.size()),
                    i % 11 == 10 ? null : messages.get(i % messages.size())));
        }
        SignerIdentity signer = new SignerIdentity("CN=" + "ü".repeat(3_000) + ",O=Sigil tests", "0A0B0C0D",
                "CD".repeat(32), Instant.parse("2027-01-01T00:00:00Z"));

        SignedBpfProgramStatus status = builder.build(Observations.observation(1,
                new VerificationOutcome.Verified(signer, HASH, true), targeted, Optional.empty(), reports), null);

        assertThat(violations(status)).isEmpty();
        assertThat(status.getFailedNodes()).isEqualTo(50);
        FailingNode first = status.getFailingNodes().getFirst();
        assertThat(first.getMessage())
                .as("keeps the start, which names the error, and marks the cut")
                .startsWith("EPERM attaching to eth0: xxx")
                .endsWith(BoundedText.MARKER)
                .hasSize(FailingNode.MAX_MESSAGE);
        assertThat(first.getReason()).hasSize(FailingNode.MAX_REASON).endsWith(BoundedText.MARKER);
        assertThat(status.getFailingNodes().get(2).getMessage())
                .as("a cut never splits a surrogate pair")
                .isEqualTo("a".repeat(FailingNode.MAX_MESSAGE - 2) + BEE + BoundedText.MARKER);
        assertThat(status.getFailingNodes().get(3).getMessage()).as("short messages are copied as they are").isEmpty();
        assertThat(status.getSigner().getSubject()).startsWith("CN=üü").endsWith(BoundedText.MARKER);
        assertThat(status.getSigner().getSubjectKeyId()).isEqualTo("0a0b0c0d");
        assertThat(status.getSigner().getFingerprintSha256()).isEqualTo("cd".repeat(32));
    }

    @Test
    void verificationAndSelectorMessagesOfAnyLengthFitTheSchema() {
        SignedBpfProgramStatus rejected = builder.build(Observations.observation(1,
                new VerificationOutcome.Rejected("UntrustedSigner", "signer " + "CN=x,".repeat(20_000) + " is not trusted",
                        Optional.of(HASH)),
                new TreeSet<>(), Optional.empty(), new TreeMap<>()), null);
        SignedBpfProgramStatus badSelector = builder.build(Observations.observation(1,
                new VerificationOutcome.Verified(new SignerIdentity("CN=release", "0a", "cd".repeat(32),
                        Instant.parse("2027-01-01T00:00:00Z")), HASH, true),
                new TreeSet<>(), Optional.of("spec.nodeSelector: unknown operator '" + BEE.repeat(10_000) + "'"),
                new TreeMap<>()), null);

        assertThat(violations(rejected)).isEmpty();
        assertThat(violations(badSelector)).isEmpty();
        assertThat(ProgramConditions.find(rejected, ConditionType.Verified).orElseThrow().getMessage())
                .startsWith("signer CN=x,").endsWith(BoundedText.MARKER);
    }

    @ParameterizedTest
    @EnumSource(ReasonCode.class)
    void everyVerificationReasonIsAValidConditionReason(ReasonCode reason) {
        SignedBpfProgramStatus status = builder.build(Observations.observation(1,
                new VerificationOutcome.Rejected(reason.name(), "refused", Optional.empty()),
                new TreeSet<>(), Optional.empty(), new TreeMap<>()), null);

        assertThat(violations(status)).isEmpty();
    }

    @Test
    void signerWithoutSubjectKeyIdentifierShowsNoKeyId() {
        SignedBpfProgramStatus status = builder.build(Observations.observation(1,
                new VerificationOutcome.Verified(new SignerIdentity("CN=legacy", "", "cd".repeat(32),
                        Instant.parse("2027-01-01T00:00:00Z")), HASH, true),
                new TreeSet<>(), Optional.empty(), new TreeMap<>()), null);

        assertThat(violations(status)).isEmpty();
        assertThat(status.getSigner().getSubjectKeyId()).isNull();
    }

    @Test
    void schemaRefusesAnAgentMessageCopiedInWhole() {
        SignedBpfProgramStatus status = builder.build(Observations.observation(1,
                new VerificationOutcome.Verified(new SignerIdentity("CN=release", "0a", "cd".repeat(32),
                        Instant.parse("2027-01-01T00:00:00Z")), HASH, true),
                new TreeSet<>(), Optional.empty(), new TreeMap<>()), null);
        status.setFailingNodes(List.of(new FailingNode("node-a", "AttachFailed", HUGE)));

        assertThat(violations(status)).extracting(Violation::field).containsExactly(
                "status.failingNodes[0].message", "<nil>");
    }

    private static List<Violation> violations(SignedBpfProgramStatus status) {
        SignedBpfProgram program = SERIALIZATION.clone(PROGRAM);
        program.setStatus(status);
        return COMMITTED_SCHEMA.validate(SERIALIZATION.convertValue(program, JsonNode.class));
    }

    /** Valid DNS subdomains of the longest length Kubernetes allows for a node name. */
    private static String longestNodeName(int index) {
        String prefix = String.format("node-%02d.", index);
        return prefix + "n".repeat(253 - prefix.length());
    }
}
