package dev.sigil.bpf.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.testing.Features;
import org.junit.jupiter.api.Test;

class EnforcementPolicyTest {

    @Test
    void autoFallsBackToAgentWhenTheKernelCannotCheckSignatures() throws Exception {
        assertThat(EnforcementPolicy.decide(Enforcement.Auto, Features.withoutKernelSignatures()))
                .isEqualTo(AppliedEnforcement.Agent);
    }

    @Test
    void autoUsesTheKernelWhereItChecksSignatures() throws Exception {
        assertThat(EnforcementPolicy.decide(Enforcement.Auto, Features.withKernelSignatures()))
                .isEqualTo(AppliedEnforcement.Kernel);
    }

    @Test
    void kernelEnforcementIsRefusedWhereTheKernelCannotCheckSignatures() {
        assertThatThrownBy(() -> EnforcementPolicy.decide(Enforcement.Kernel, Features.withoutKernelSignatures()))
                .isInstanceOfSatisfying(BpfFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(FailureReason.EnforcementUnavailable);
                    assertThat(failure.getMessage()).contains("EOPNOTSUPP");
                });
    }

    @Test
    void agentEnforcementAlwaysStaysAgent() throws Exception {
        assertThat(EnforcementPolicy.decide(Enforcement.Agent, Features.withKernelSignatures()))
                .isEqualTo(AppliedEnforcement.Agent);
    }

    @Test
    void kernelsWithoutMapHashesRunInCompatibilityMode() throws Exception {
        assertThat(EnforcementPolicy.decide(Enforcement.Auto, Features.withoutMapHashes()))
                .isEqualTo(AppliedEnforcement.Compat);
        assertThat(EnforcementPolicy.decide(Enforcement.Agent, Features.withoutMapHashes()))
                .isEqualTo(AppliedEnforcement.Compat);
        assertThatThrownBy(() -> EnforcementPolicy.decide(Enforcement.Kernel, Features.withoutMapHashes()))
                .isInstanceOfSatisfying(BpfFailure.class, failure ->
                        assertThat(failure.reason()).isEqualTo(FailureReason.EnforcementUnavailable));
    }
}
