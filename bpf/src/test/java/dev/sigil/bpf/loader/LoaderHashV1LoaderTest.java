package dev.sigil.bpf.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.sys.ProgLoadRequest;
import dev.sigil.bpf.sys.ProgramType;
import dev.sigil.bpf.testing.FakeSyscallBridge;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.signing.BundleVerifier;
import dev.sigil.signing.LoaderHashV1;
import dev.sigil.signing.Sha256;
import dev.sigil.signing.VerifiedBundle;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The protocol's sequence of bridge calls, checked against a fake kernel. */
class LoaderHashV1LoaderTest {
    private static final List<String> MAPS = List.of("counts", "data");
    private static final List<String> PROGRAMS = List.of("count_sys_enter");

    private final FakeSyscallBridge bridge = new FakeSyscallBridge();
    private final LoaderHashV1Loader loader = new LoaderHashV1Loader(bridge);
    private VerifiedBundle verified;

    @BeforeEach
    void verifyTheExample() throws Exception {
        verified = new BundleVerifier(TestBundles.trust(), Clock.systemUTC())
                .verify(TestBundles.sign(TestBundles.counter(), TestBundles.key()));
        bridge.mapHash = verified.bundle().metadataSha256();
        bridge.mapSlots = MAPS.size();
    }

    @Test
    void followsTheProtocolStepByStep() throws Exception {
        try (LoadedObjects loaded = loader.load(verified, MAPS, PROGRAMS, AppliedEnforcement.Agent, OptionalInt.empty())) {
            assertThat(bridge.calls).containsExactly("mapCreate", "mapUpdate", "mapFreeze", "mapInfo+hash", "progLoad",
                    "progRun", "adopt", "adopt", "adopt");
            assertThat(bridge.mapsCreated.getFirst().name()).isEqualTo("__loader.map");
            assertThat(bridge.mapsCreated.getFirst().valueSize()).isEqualTo(verified.bundle().metadata().length);
            assertThat(bridge.mapsCreated.getFirst().exclusiveProgramHash())
                    .hasValueSatisfying(hash -> assertThat(hash).isEqualTo(Sha256.digest(verified.bundle().loader())));
            ProgLoadRequest load = bridge.programsLoaded.getFirst();
            assertThat(load.type()).isEqualTo(ProgramType.SYSCALL);
            assertThat(load.flags()).isEqualTo(ProgLoadRequest.SLEEPABLE);
            assertThat(load.name()).isEqualTo("__loader.prog");
            assertThat(load.license()).isEqualTo("Dual BSD/GPL");
            assertThat(load.instructions()).isEqualTo(verified.bundle().loader());
            assertThat(load.fdArray()).hasSize(1);
            assertThat(load.signature()).isEmpty();
            assertThat(load.countFdArray()).isFalse();
            assertThat(loaded.maps()).containsOnlyKeys("counts", "data");
            assertThat(loaded.programs()).containsOnlyKeys("count_sys_enter");
            assertThat(bridge.openFds).as("the loader map and program are closed, the loaded objects open").hasSize(3);
        }
        assertThat(bridge.openFds).isEmpty();
    }

    @Test
    void refusesANameGivenTwiceBeforeAnythingIsLoaded() {
        // Kept by name, the first of two "counts" maps would be held by nobody: an fd and a kernel map lost per load.
        assertThatThrownBy(() -> loader.load(verified, List.of("counts", "counts"), PROGRAMS, AppliedEnforcement.Agent,
                OptionalInt.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("map name 'counts' is given twice: each of the skeleton's maps has a name of its own");
        assertThatThrownBy(() -> loader.load(verified, MAPS, List.of("count_sys_enter", "count_sys_enter"),
                AppliedEnforcement.Agent, OptionalInt.empty()))
                .hasMessageStartingWith("program name 'count_sys_enter' is given twice");
        assertThat(bridge.calls).isEmpty();
    }

    @Test
    void kernelEnforcementPassesTheSignatureAndTheKeyring() throws Exception {
        try (LoadedObjects loaded = loader.load(verified, MAPS, PROGRAMS, AppliedEnforcement.Kernel, OptionalInt.of(99))) {
            ProgLoadRequest load = bridge.programsLoaded.getFirst();
            assertThat(load.signature()).hasValueSatisfying(signature -> {
                assertThat(signature.signature()).isEqualTo(verified.bundle().signature());
                assertThat(signature.keyringId()).isEqualTo(99);
            });
            assertThat(load.countFdArray()).isTrue();
        }
    }

    @Test
    void compatibilityModeRunsTheBareLoaderWithAnOrdinaryMap() throws Exception {
        try (LoadedObjects loaded = loader.load(verified, MAPS, PROGRAMS, AppliedEnforcement.Compat, OptionalInt.empty())) {
            assertThat(bridge.mapsCreated.getFirst().exclusiveProgramHash()).isEmpty();
            assertThat(bridge.calls).doesNotContain("mapInfo+hash");
            assertThat(bridge.programsLoaded.getFirst().instructions()).isEqualTo(
                    LoaderHashV1.stripPrologue(verified.bundle().loader(), verified.bundle().metadataSha256()));
            assertThat(bridge.programsLoaded.getFirst().instructions()).hasSize(
                    verified.bundle().loader().length - LoaderHashV1.PROLOGUE_BYTES);
        }
    }

    @Test
    void reportsEbadmsgFromTheLoaderAsLoaderRejectedAndKeepsNothing() {
        bridge.loaderReturn = -74;

        assertThatThrownBy(() -> loader.load(verified, MAPS, PROGRAMS, AppliedEnforcement.Agent, OptionalInt.empty()))
                .isInstanceOfSatisfying(BpfFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(FailureReason.LoaderRejected);
                    assertThat(failure.getMessage()).contains("EBADMSG");
                });
        assertThat(bridge.openFds).isEmpty();
    }

    @Test
    void refusesWhenTheKernelHashesTheMetadataDifferently() {
        bridge.mapHash = new byte[32];

        assertThatThrownBy(() -> loader.load(verified, MAPS, PROGRAMS, AppliedEnforcement.Agent, OptionalInt.empty()))
                .isInstanceOfSatisfying(BpfFailure.class, failure ->
                        assertThat(failure.reason()).isEqualTo(FailureReason.LoaderRejected));
        assertThat(bridge.calls).doesNotContain("progLoad");
        assertThat(bridge.openFds).isEmpty();
    }

    @Test
    void keepsTheVerifierLogWhenTheKernelRefusesTheLoader() {
        bridge.progLoadFailure = new dev.sigil.bpf.sys.ProgramLoadException(13, "__loader.prog",
                "0: (b7) r0 = 0\nR1 invalid mem access 'scalar'\nprocessed 2 insns");

        assertThatThrownBy(() -> loader.load(verified, MAPS, PROGRAMS, AppliedEnforcement.Agent, OptionalInt.empty()))
                .isInstanceOfSatisfying(BpfFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(FailureReason.ProgramLoadFailed);
                    assertThat(failure.verifierLogTail()).hasValueSatisfying(log -> assertThat(log).contains("invalid mem access"));
                });
        assertThat(bridge.programsLoaded).as("retried once with a log buffer").hasSize(2);
        assertThat(bridge.programsLoaded.get(1).logLevel()).isPositive();
        assertThat(bridge.openFds).isEmpty();
    }

    @Test
    void loadsTheLoaderAgainWhenASignalInterruptedTheVerifier() throws Exception {
        bridge.progLoadInterruptions = 2;

        try (LoadedObjects loaded = loader.load(verified, MAPS, PROGRAMS, AppliedEnforcement.Agent, OptionalInt.empty())) {
            assertThat(loaded.programs()).containsOnlyKeys("count_sys_enter");
        }
        assertThat(bridge.programsLoaded).as("the same request three times, no log buffer").hasSize(3)
                .allSatisfy(load -> assertThat(load.logLevel()).isZero());
        assertThat(bridge.openFds).isEmpty();
    }
}
