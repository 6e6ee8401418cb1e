package dev.sigil.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.HostStatus;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.agent.testing.Version1PinRecords;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.pin.PinDirectory;
import dev.sigil.bpf.pin.PinnedResource;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.signing.SignedBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent upgraded over pins an earlier agent left: their records are in format version 1 (written here
 * exactly as that agent wrote them), and the new agent re-adopts them without detaching anything, then
 * moves the directory to version 2 the next time it writes its records.
 */
class PinRecordUpgradeIT {
    private HostFixture fixture;
    private PinDirectory pins;
    private final String name = TestBundles.uniqueName("counter");
    private final SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());

    @BeforeEach
    void start() {
        fixture = HostFixture.requiring(AttachKind.RawTracepoint);
        pins = new PinDirectory(LinuxSyscallBridge.create(), fixture.pinRoot());
    }

    @AfterEach
    void cleanUp() throws Exception {
        HostFixture.closeIfStarted(fixture);
    }

    /** The example with its counter map pinned too, so the record names a pinned map. */
    private SignedBpfProgram counter(long generation, SignedBundle signed) {
        MapSpec counts = new MapSpec("counts");
        counts.setPin(true);
        return TestResources.resource(name, generation, signed,
                List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter"))),
                List.of(counts, new MapSpec("data")), Enforcement.Auto);
    }

    private long counter() {
        return fixture.mapValue(name, "counts");
    }

    private void awaitCounterAbove(long value) {
        fixture.awaitMapValueAbove(name, "counts", value);
    }

    private String record(String entry) throws Exception {
        return Files.readSymbolicLink(pins.directory(name).resolve(entry)).toString();
    }

    @Test
    void readoptsPinsWhoseRecordsAnEarlierAgentWroteAndMovesThemToVersion3() throws Exception {
        NodeProgramState loaded = fixture.host().apply(counter(3, bundle));
        assertThat(loaded.getPhase()).as(loaded.getMessage()).isEqualTo(ProgramPhase.Attached);
        LoadedProgram before = loaded.getPrograms().getFirst();
        PinnedResource current = pins.readRecord(name).orElseThrow();
        Path newLinkPin = pins.linkPin(name, "count_sys_enter", new AttachTarget.RawTracepoint("sys_enter"));
        Path oldLinkPin = pins.directory(name).resolve("link_count_sys_enter");
        Files.move(newLinkPin, oldLinkPin);
        Files.delete(pins.directory(name).resolve("target_" + newLinkPin.getFileName().toString().substring("link_".length())));
        Version1PinRecords.write(pins.directory(name), current);
        assertThat(record("meta")).startsWith("generation=3&").doesNotContain("v=");
        assertThat(record("meta_count_sys_enter")).startsWith("programId=").contains("&attach=ey");

        HostStatus upgraded = fixture.restart();
        List<NodeProgramState> adopted = upgraded.adoptPinned();

        assertThat(adopted).singleElement().satisfies(state -> {
            assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
            assertThat(state.getGeneration()).isEqualTo(3);
            assertThat(state.getLoaderHash()).isEqualTo(bundle.loaderHash());
            assertThat(state.getEnforcement()).isEqualTo(loaded.getEnforcement());
            LoadedProgram after = state.getPrograms().getFirst();
            assertThat(after.getLinkId()).as("same link: never detached").isEqualTo(before.getLinkId());
            assertThat(after.getProgramId()).isEqualTo(before.getProgramId());
            assertThat(after.getAttachedTo()).isEqualTo("RawTracepoint(sys_enter)");
        });
        awaitCounterAbove(counter());
        NodeProgramState kept = upgraded.apply(counter(3, bundle));
        assertThat(kept.getPrograms().getFirst().getProgramId()).as("kept, not reloaded").isEqualTo(before.getProgramId());
        assertThat(record("meta")).as("adopting moved the directory to version 3").startsWith("v=3&generation=3&");
        assertThat(oldLinkPin).as("the link pinned at its version 3 name instead").doesNotExist();
        assertThat(newLinkPin).exists();

        Files.delete(pins.directory(name).resolve("meta_count_sys_enter"));
        assertThat(upgraded.repairDrift()).singleElement().satisfies(state ->
                assertThat(state.getMessage()).contains("restored the pin directory"));
        assertThat(record("meta")).startsWith("v=3&generation=3&");
        assertThat(record("meta_count_sys_enter")).startsWith("v=3&").contains("&links=raw_tracepoint-");

        NodeProgramState second = upgraded.apply(counter(4, TestBundles.sign(TestBundles.counter(), TestBundles.key())));
        assertThat(second.getPhase()).as(second.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThat(pins.readRecord(name).orElseThrow().generation()).isEqualTo(4);
        awaitCounterAbove(0);
    }
}
