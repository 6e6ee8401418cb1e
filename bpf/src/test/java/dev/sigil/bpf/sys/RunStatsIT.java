package dev.sigil.bpf.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.testing.FdCount;
import dev.sigil.bpf.testing.KernelAssumptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BPF_ENABLE_STATS and the run statistics of {@code bpf_prog_info}, on this machine's kernel. */
class RunStatsIT {
    private static final byte MOV64_IMM_R0 = (byte) 0xb7;
    private static final byte EXIT = (byte) 0x95;

    private final SyscallBridge bridge = LinuxSyscallBridge.create();

    @Test
    void whileStatsAreOnEveryRunIsCountedAndTimed() {
        KernelAssumptions.require("bpf()", KernelAssumptions.features().bpf());
        Set<String> fdsBefore = FdCount.snapshot();
        try (Fd program = bridge.progLoad(returningZero());
                Fd stats = bridge.enableStats(BpfStatsType.STATS_RUN_TIME)) {
            ProgInfo before = bridge.progInfo(program);
            for (int run = 0; run < 3; run++) {
                bridge.progRun(program, new byte[0]);
            }
            ProgInfo after = bridge.progInfo(program);

            // Only this test runs its own program, so the count is exact whoever else has stats on.
            assertThat(after.runCount() - before.runCount()).isEqualTo(3);
            assertThat(after.runTimeNanos()).isGreaterThan(before.runTimeNanos());
            assertThat(after.name()).isEqualTo("sigil_stats");
            assertThat(FdCount.objectBehind(stats.number())).as("the stats fd is no program, map or link").isEmpty();
        }
        assertThat(FdCount.openedSince(fdsBefore)).as("fds leaked, the stats fd among them").isEmpty();
    }

    /** {@code r0 = 0; exit} as a (sleepable, as the kernel wants) SYSCALL program, which BPF_PROG_RUN runs without any input. */
    private static ProgLoadRequest returningZero() {
        byte[] instructions = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .put(MOV64_IMM_R0).put((byte) 0).putShort((short) 0).putInt(0)
                .put(EXIT).put((byte) 0).putShort((short) 0).putInt(0)
                .array();
        return new ProgLoadRequest(ProgramType.SYSCALL, instructions, "GPL", ProgLoadRequest.SLEEPABLE, "sigil_stats", 0, 0, List.of(), false,
                Optional.empty(), 0, 0);
    }
}
