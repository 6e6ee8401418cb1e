package dev.sigil.agent.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.agent.failure.FailureReason;
import dev.sigil.agent.failure.NodeFailure;
import dev.sigil.agent.testing.Features;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
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
                .isInstanceOfSatisfying(NodeFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(FailureReason.EnforcementUnavailable.name());
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
                .isInstanceOfSatisfying(NodeFailure.class, failure ->
                        assertThat(failure.reason()).isEqualTo(FailureReason.EnforcementUnavailable.name()));
    }
}
