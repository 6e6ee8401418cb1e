package dev.sigil.agent.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.agent.failure.FailureReason;
import dev.sigil.agent.failure.NodeFailure;
import dev.sigil.agent.sys.Errno;
import dev.sigil.agent.sys.Fd;
import dev.sigil.agent.sys.LinuxSyscallBridge;
import dev.sigil.agent.sys.MapCreateRequest;
import dev.sigil.agent.sys.MapType;
import dev.sigil.agent.sys.ObjectKind;
import dev.sigil.agent.sys.ProgLoadRequest;
import dev.sigil.agent.sys.ProgramLoadException;
import dev.sigil.agent.sys.ProgramType;
import dev.sigil.agent.sys.SyscallBridge;
import dev.sigil.agent.testing.FdCount;
import dev.sigil.agent.testing.KernelAssumptions;
import dev.sigil.agent.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.signing.BundleVerifier;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.VerifiedBundle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kernel's half of the protocol: what it refuses even when userspace checks were bypassed. */
class LoaderOnKernelIT {
    private final SyscallBridge bridge = LinuxSyscallBridge.create();

    @BeforeEach
    void requireKernel() {
        KernelAssumptions.requireLoaderHashV1();
    }

    /** Names of live kernel programs and maps; tests compare their own distinctive names before/after. */
    private Set<String> liveObjectNames() {
        Set<String> names = new HashSet<>();
        for (ObjectKind kind : List.of(ObjectKind.PROGRAM, ObjectKind.MAP)) {
            OptionalInt id = bridge.nextId(kind, 0);
            while (id.isPresent()) {
                Optional<Fd> fd = bridge.fdById(kind, id.getAsInt());
                if (fd.isPresent()) {
                    try (Fd open = fd.get()) {
                        names.add(kind + ":" + id.getAsInt() + ":" + (kind == ObjectKind.PROGRAM
                                ? bridge.progInfo(open).name() : bridge.mapInfo(open, false).name()));
                    }
                }
                id = bridge.nextId(kind, id.getAsInt());
            }
        }
        return names;
    }

    @Test
    void tamperedMetadataMakesTheSignedLoaderReturnEbadmsgAndLoadsNothing() throws Exception {
        SignedBundle bundle = TestBundles.sign(TestBundles.skeleton("bpf/xdp_count.lskel.h"), TestBundles.key());
        VerifiedBundle verified = new BundleVerifier(TestBundles.trust(), Clock.systemUTC()).verify(bundle);
        // Past the agent's own hash check (as if it had a bug): only the kernel and the prologue stand guard.
        VerifiedBundle tampered = new VerifiedBundle(
                TestBundles.withMetadata(bundle, TestBundles.flipByte(bundle.metadata(), bundle.metadata().length / 2)),
                verified.signer(), verified.loaderHash());
        Set<String> before = liveObjectNames();
        Set<String> fdsBefore = FdCount.open();

        assertThatThrownBy(() -> new LoaderHashV1Loader(bridge).load(tampered, List.of("hits"), List.of("xdp_count"),
                AppliedEnforcement.Agent, OptionalInt.empty()))
                .isInstanceOfSatisfying(NodeFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(FailureReason.LoaderRejected.name());
                    assertThat(failure.getMessage()).contains("EBADMSG", "-74");
                });

        Set<String> appeared = liveObjectNames();
        appeared.removeAll(before);
        assertThat(appeared).as("new programs or maps of the test skeleton")
                .noneMatch(name -> name.endsWith(":xdp_count") || name.endsWith(":hits"));
        assertThat(FdCount.describe(FdCount.open())).isEqualTo(FdCount.describe(fdsBefore));
    }

    @Test
    void aForeignProgramCannotUseAnExclusiveMap() {
        byte[] someoneElsesHash = LoaderHashV1Loader.sha256("the signed loader".getBytes());
        Set<String> fdsBefore = FdCount.open();
        try (Fd map = bridge.mapCreate(new MapCreateRequest(MapType.ARRAY, 4, 8, 1, 0, "sigil_excl", Optional.of(someoneElsesHash)))) {
            // Linux 6.18 refuses in the verifier: EACCES with "program's hash doesn't match map's excl_prog_hash".
            assertThatThrownBy(() -> bridge.progLoad(foreignProgram(map)).close())
                    .isInstanceOfSatisfying(ProgramLoadException.class, e -> {
                        assertThat(e.is(Errno.EACCES) || e.is(Errno.EPERM)).as(e.getMessage()).isTrue();
                        assertThat(e.verifierLog()).contains("excl_prog_hash");
                    });
        }
        assertThat(FdCount.describe(FdCount.open())).isEqualTo(FdCount.describe(fdsBefore));
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
