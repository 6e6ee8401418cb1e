package dev.sigil.operator.signedbpfprogram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.api.testing.IntentTamperCases;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.status.IntentBinding;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.operator.conditions.ConditionType;
import dev.sigil.operator.conditions.ProgramConditions;
import dev.sigil.operator.trust.TrustState;
import dev.sigil.signing.UnboundPrograms;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The operator's Verified condition for every case of the intent tamper matrix, and for unbound programs. */
class IntentVerificationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final TrustState TRUSTED = new TrustState.Loaded(SignedFixtures.trust());

    private final ProgramVerifier verifier = new ProgramVerifier(Clock.systemUTC());

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sigil.api.testing.IntentTamperCases#all")
    void theVerifiedConditionGivesEachChangeItsVerdict(IntentTamperCases tamper) {
        SignedBpfProgramStatus status = status(verifier.verify(tamper.resource("p").getSpec(), TRUSTED));
        Condition verified = ProgramConditions.find(status, ConditionType.Verified).orElseThrow();

        if (tamper.verdict().isEmpty()) {
            assertThat(verified.getStatus()).as(verified.getMessage()).isEqualTo("True");
            assertThat(verified.getReason()).isEqualTo("SignatureVerified");
            assertThat(status.getBinding()).isEqualTo(IntentBinding.Bound);
        } else {
            assertThat(verified.getStatus()).isEqualTo("False");
            assertThat(verified.getReason()).isEqualTo(tamper.verdict().get().name());
            assertThat(verified.getMessage()).contains(tamper.mentions());
            assertThat(status.getTargetedNodes()).isZero();
        }
    }

    @Test
    void aProgramWithoutIntentIsAdmittedOnlyWhenTheTrustBundleSaysSoAndTheStatusSaysItIsUnbound() {
        var spec = SignedFixtures.counter("legacy").getSpec();
        spec.setIntent(null);
        spec.setIntentSignature(null);

        Condition refused = ProgramConditions.find(status(verifier.verify(spec, TRUSTED)), ConditionType.Verified).orElseThrow();
        SignedBpfProgramStatus admitted = status(verifier.verify(spec,
                new TrustState.Loaded(SignedFixtures.trust().withUnboundPrograms(UnboundPrograms.Admit))));

        assertThat(refused.getReason()).isEqualTo("IntentMissing");
        assertThat(admitted.getBinding()).isEqualTo(IntentBinding.Unbound);
        assertThat(ProgramConditions.find(admitted, ConditionType.Verified).orElseThrow())
                .satisfies(condition -> {
                    assertThat(condition.getStatus()).isEqualTo("True");
                    assertThat(condition.getReason()).isEqualTo("VerifiedUnbound");
                    assertThat(condition.getMessage()).contains("UNBOUND");
                });
    }

    private static SignedBpfProgramStatus status(VerificationOutcome outcome) {
        return new ProgramStatusBuilder(CLOCK).build(new ProgramObservation(1, outcome, new TreeSet<>(List.of("node-a")),
                Optional.empty(), new TreeMap<>(), new TreeMap<>()), null);
    }
}
