package dev.sigil.bpf.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.bpf.testing.FakeSyscallBridge;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** BPF_PROG_LOAD interrupted by a signal (EAGAIN) is made again, a bounded number of times; other errors are not. */
class ProgLoadRetryTest {
    private final FakeSyscallBridge bridge = new FakeSyscallBridge();
    private final ProgLoadRequest request = new ProgLoadRequest(ProgramType.RAW_TRACEPOINT, new byte[16], "GPL", 0,
            "sigil_test", 0, 0, List.of(), false, Optional.empty(), 0, 0);

    @Test
    void loadsAgainWhenTheVerifierWasInterrupted() {
        bridge.progLoadInterruptions = 3;

        try (Fd program = ProgLoadRetry.load(bridge, request)) {
            assertThat(program.number()).isPositive();
        }

        assertThat(bridge.programsLoaded).hasSize(4).containsOnly(request);
        assertThat(bridge.openFds).isEmpty();
    }

    @Test
    void givesUpWithEagainAfterItsAttempts() {
        bridge.progLoadInterruptions = ProgLoadRetry.ATTEMPTS + 1;

        assertThatThrownBy(() -> ProgLoadRetry.load(bridge, request))
                .isInstanceOfSatisfying(ProgramLoadException.class, e -> assertThat(e.is(Errno.EAGAIN)).isTrue());
        assertThat(bridge.programsLoaded).hasSize(ProgLoadRetry.ATTEMPTS);
    }

    @Test
    void anyOtherRefusalIsFinal() {
        bridge.progLoadFailure = new ProgramLoadException(Errno.EACCES.number(), "sigil_test", "denied");

        assertThatThrownBy(() -> ProgLoadRetry.load(bridge, request))
                .isInstanceOfSatisfying(ProgramLoadException.class, e -> assertThat(e.is(Errno.EACCES)).isTrue());
        assertThat(bridge.programsLoaded).hasSize(1);
    }
}
