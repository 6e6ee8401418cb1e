package dev.sigil.bpf.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.MapType;
import dev.sigil.bpf.sys.ProgLoadRequest;
import dev.sigil.bpf.sys.ProgramLoadException;
import dev.sigil.bpf.sys.ProgramType;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.testing.FdCount;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.signing.Sha256;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's half of the protocol: what it refuses even when userspace checks were bypassed. (A
 * loader refusing tampered metadata with EBADMSG is one of {@code FailurePathsIT}'s cases.)
 */
class LoaderOnKernelIT {
    private final SyscallBridge bridge = LinuxSyscallBridge.create();

    @BeforeEach
    void requireKernel() {
        KernelAssumptions.requireLoaderHashV1();
    }

    @Test
    void aForeignProgramCannotUseAnExclusiveMap() {
        byte[] someoneElsesHash = Sha256.digest("the signed loader".getBytes());
        Set<String> fdsBefore = FdCount.snapshot();
        try (Fd map = bridge.mapCreate(new MapCreateRequest(MapType.ARRAY, 4, 8, 1, 0, "sigil_excl", Optional.of(someoneElsesHash)))) {
            // Linux 6.18 refuses in the verifier: EACCES with "program's hash doesn't match map's excl_prog_hash".
            assertThatThrownBy(() -> bridge.progLoad(foreignProgram(map)).close())
                    .isInstanceOfSatisfying(ProgramLoadException.class, e -> {
                        assertThat(e.is(Errno.EACCES) || e.is(Errno.EPERM)).as(e.getMessage()).isTrue();
                        assertThat(e.verifierLog()).contains("excl_prog_hash");
                    });
        }
        assertThat(FdCount.openedSince(fdsBefore)).as("fds leaked").isEmpty();
    }

    private static ProgLoadRequest foreignProgram(Fd map) {
        return new ProgLoadRequest(ProgramType.RAW_TRACEPOINT, usesMapByIndex(), "GPL", 0, "sigil_foreign", 0, 0,
                List.of(map), false, Optional.empty(), 1, 1 << 16);
    }

    /** {@code r1 = map_by_idx(0); r0 = 0; exit}: references the fd_array's first map. */
    private static byte[] usesMapByIndex() {
        return ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 0x18).put((byte) (1 | 5 << 4)).putShort((short) 0).putInt(0)
                .put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0)
                .put((byte) 0xb7).put((byte) 0).putShort((short) 0).putInt(0)
                .put((byte) 0x95).put((byte) 0).putShort((short) 0).putInt(0)
                .array();
    }
}
