package dev.sigil.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.signing.ReasonCode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FailureCauseTest {

    @Test
    void stopsWhatRunsOnlyWhenTheFailureIsAboutTrust() {
        assertThat(new FailureCause.Untrusted(ReasonCode.Revoked).stopsWhatRuns()).isTrue();
        assertThat(new FailureCause.Untrusted(ReasonCode.SignatureInvalid).stopsWhatRuns()).isTrue();
        assertThat(new FailureCause.Untrusted(ReasonCode.HashMismatch).stopsWhatRuns()).isTrue();
        assertThat(new FailureCause.Kernel(FailureReason.AttachFailed).stopsWhatRuns()).isFalse();
        assertThat(new FailureCause.Kernel(FailureReason.LoaderRejected).stopsWhatRuns()).isFalse();
    }

    @Test
    void everyVerificationReasonStopsWhatRunsAndNoKernelReasonDoes() {
        assertThat(Arrays.stream(ReasonCode.values()).map(FailureCause.Untrusted::new))
                .allMatch(FailureCause::stopsWhatRuns);
        assertThat(Arrays.stream(FailureReason.values()).map(FailureCause.Kernel::new))
                .noneMatch(FailureCause::stopsWhatRuns);
    }
}
