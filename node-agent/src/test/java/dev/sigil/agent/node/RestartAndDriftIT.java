package dev.sigil.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.HostStatus;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.testing.FdCount;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.signing.SignedBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An agent restart keeps programs attached; pins removed behind the agent's back come back. */
class RestartAndDriftIT {
    private HostFixture fixture;
    private final String name = TestBundles.uniqueName("counter");
    private final SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());

    @BeforeEach
    void start() {
        fixture = HostFixture.requiring(AttachKind.RawTracepoint);
    }

    @AfterEach
    void cleanUp() throws Exception {
        HostFixture.closeIfStarted(fixture);
    }

    private long counter() {
        return fixture.mapValue(name, "counts");
    }

    private void awaitCounterAbove(long value) {
        fixture.awaitMapValueAbove(name, "counts", value);
    }

    @Test
    void restartReadoptsThePinnedProgramsWithoutDetachingThem() {
        NodeProgramState loaded = fixture.host().apply(TestResources.counterResource(name, 3, bundle, Enforcement.Auto));
        assertThat(loaded.getPhase()).as(loaded.getMessage()).isEqualTo(ProgramPhase.Attached);
        LoadedProgram before = loaded.getPrograms().getFirst();
        awaitCounterAbove(0);

        HostStatus restarted = fixture.restart();
        List<NodeProgramState> adopted = restarted.adoptPinned();

        assertThat(adopted).singleElement().satisfies(state -> {
            assertThat(state.getPhase()).isEqualTo(ProgramPhase.Attached);
            assertThat(state.getGeneration()).isEqualTo(3);
            assertThat(state.getLoaderHash()).isEqualTo(bundle.loaderHash());
            LoadedProgram after = state.getPrograms().getFirst();
            assertThat(after.getLinkId()).as("same link: never detached").isEqualTo(before.getLinkId());
            assertThat(after.getProgramId()).isEqualTo(before.getProgramId());
            assertThat(after.getTag()).isEqualTo(before.getTag());
        });
        long afterRestart = counter();
        awaitCounterAbove(afterRestart);

        Set<String> fds = FdCount.snapshot();
        NodeProgramState kept = restarted.apply(TestResources.counterResource(name, 3, bundle, Enforcement.Auto));
        assertThat(kept.getPrograms().getFirst().getProgramId()).as("kept, not reloaded")
                .isEqualTo(before.getProgramId());
        assertThat(FdCount.openedSince(fds)).as("fds leaked").isEmpty();
    }

    @Test
    void repairsALinkPinRemovedBehindTheAgentsBack() throws Exception {
        NodeProgramState loaded = fixture.host().apply(TestResources.counterResource(name, 1, bundle, Enforcement.Auto));
        Path pin = Path.of(loaded.getPrograms().getFirst().getPinPath());
        assertThat(fixture.host().repairDrift()).as("nothing drifted yet").isEmpty();

        Files.delete(pin);
        List<NodeProgramState> repaired = fixture.host().repairDrift();

        assertThat(repaired).singleElement().satisfies(state -> {
            assertThat(state.getPhase()).isEqualTo(ProgramPhase.Attached);
            assertThat(state.getMessage()).contains("re-pinned", "count_sys_enter");
        });
        assertThat(pin).exists();
        long now = counter();
        awaitCounterAbove(now);
    }

    @Test
    void aNewGenerationReplacesTheOldOnlyOnceAttached() {
        NodeProgramState first = fixture.host().apply(TestResources.counterResource(name, 1, bundle, Enforcement.Auto));
        SignedBundle resigned = TestBundles.sign(TestBundles.counter(), TestBundles.key());

        NodeProgramState second = fixture.host().apply(TestResources.counterResource(name, 2, resigned, Enforcement.Auto));

        assertThat(second.getPhase()).as(second.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThat(second.getGeneration()).isEqualTo(2);
        assertThat(second.getPrograms().getFirst().getProgramId())
                .isNotEqualTo(first.getPrograms().getFirst().getProgramId());
        assertThat(fixture.host().states()).hasSize(1);
        awaitCounterAbove(0);
    }
}
