package dev.sigil.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.testing.FdCount;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.signing.SignedBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example end to end on the real kernel: verify, load, attach, count, unload. */
class CounterOnKernelIT {
    private HostFixture fixture;

    @BeforeEach
    void start() {
        fixture = HostFixture.requiring(AttachKind.RawTracepoint);
    }

    @AfterEach
    void cleanUp() throws Exception {
        HostFixture.closeIfStarted(fixture);
    }

    @Test
    void loadsAttachesCountsAndUnloadsTheExample() throws Exception {
        String name = TestBundles.uniqueName("counter");
        SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());
        Set<String> fdsBefore = FdCount.snapshot();

        NodeProgramState state = fixture.host().apply(TestResources.counterResource(name, 1, bundle, Enforcement.Auto));

        assertThat(state.getPhase()).as("%s: %s", state.getReason(), state.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThat(state.getEnforcement()).isEqualTo(fixture.kernel().signatureVerification().isSupported()
                ? AppliedEnforcement.Kernel : AppliedEnforcement.Agent);
        assertThat(state.getLoaderHash()).isEqualTo(bundle.loaderHash());
        LoadedProgram program = state.getPrograms().getFirst();
        assertThat(program.getName()).isEqualTo("count_sys_enter");
        assertThat(program.getAttachedTo()).isEqualTo("RawTracepoint(sys_enter)");
        assertThat(Path.of(program.getPinPath())).exists();
        assertThat(program.getLinkId()).isPositive();

        long first = fixture.host().readMapValue(name, "counts", 0).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Files.readString(Path.of("/proc/self/status"));
            assertThat(fixture.host().readMapValue(name, "counts", 0).orElseThrow()).isGreaterThan(first);
        });

        NodeProgramState unloaded = fixture.host().unload(name);
        assertThat(unloaded.getPhase()).isEqualTo(ProgramPhase.Unloading);
        assertThat(unloaded.getMessage()).contains("gone from the kernel");
        assertThat(fixture.host().states()).isEmpty();
        assertThat(fixture.pinRoot().resolve(name)).doesNotExist();
        assertThat(new LinuxSyscallBridge(dev.sigil.bpf.sys.SyscallNumbers.current())
                .fdById(ObjectKind.PROGRAM, program.getProgramId().intValue())).isEmpty();
        assertThat(FdCount.openedSince(fdsBefore)).as("fds leaked").isEmpty();
    }
}
