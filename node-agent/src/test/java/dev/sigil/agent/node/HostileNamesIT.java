package dev.sigil.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.HostStatus;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.pin.PinDirectory;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.MapType;
import dev.sigil.bpf.testing.FdCount;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.LeakCheck;
import dev.sigil.bpf.testing.RecordingBridge;
import dev.sigil.bpf.testing.TestBundles;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attacks on the pin root, on the real kernel (issue 10, 1 and 5). The pin root lies one level inside the test's
 * own bpffs directory, where "another tool" keeps a pinned map (the victim) just outside the pin root: a name that
 * climbs out of the pin root lands there. Every hostile name is refused before any bpf() call, nothing is created,
 * pinned or left, and the victim keeps its pin; unload removes only what Sigil's record lists and says what it left.
 */
class HostileNamesIT {
    private static final List<MapSpec> COUNTER_MAPS = List.of(new MapSpec("counts"), new MapSpec("data"));

    private final RecordingBridge bridge = new RecordingBridge();
    private final String name = "hostile-" + UUID.randomUUID().toString().substring(0, 6);
    private HostFixture fixture;
    private HostStatus host;
    private Path pinRoot;
    private Path victim;
    private int victimId;

    @BeforeEach
    void start() throws Exception {
        KernelFeatures kernel = KernelAssumptions.requireLoaderHashV1();
        fixture = new HostFixture(kernel, bridge, TestBundles.trust());
        pinRoot = fixture.pinRoot().resolve("root");
        host = new HostStatus(new KernelProgramHost(new HostConfig(pinRoot, TestBundles.trust(), Clock.systemUTC(),
                Duration.ofSeconds(1)), bridge, kernel));
        Files.createDirectories(fixture.pinRoot());
        victim = fixture.pinRoot().resolve("victim");
        try (Fd map = bridge.mapCreate(new MapCreateRequest(MapType.ARRAY, 4, 8, 1, 0, "victim", Optional.empty()))) {
            bridge.objPin(map, victim);
            victimId = bridge.mapInfo(map, false).id();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (host != null) {
            host.adoptPinned();
            host.states().forEach(state -> host.unload(state.getName()));
            host.close();
        }
        HostFixture.closeIfStarted(fixture);
    }

    static Stream<Arguments> hostileNames() {
        MapSpec escapingMap = new MapSpec("x/../../../../victim");
        escapingMap.setPin(true);
        return Stream.of(
                Arguments.of("a program named <valid>/x", program("count_sys_enter/x"), COUNTER_MAPS),
                Arguments.of("a program whose pins climb out of the pin root onto another tool's pin",
                        program("count_sys_enter/x/../../../../victim"), COUNTER_MAPS),
                Arguments.of("a program named /../../..", program("/../../.."), COUNTER_MAPS),
                Arguments.of("a pinned map whose pin climbs out of the pin root", program("count_sys_enter"),
                        List.of(escapingMap, new MapSpec("data"))),
                Arguments.of("a map name given twice", program("count_sys_enter"),
                        List.of(new MapSpec("counts"), new MapSpec("counts"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileNames")
    void refusesBeforeTheKernelAndLeavesNothing(String attack, List<ProgramSpec> programs, List<MapSpec> maps) {
        LeakCheck leaks = LeakCheck.start(attack, bridge, fixture.pinRoot());

        NodeProgramState state = host.apply(resource(programs, maps));

        assertThat(state.getPhase()).isEqualTo(ProgramPhase.Failed);
        assertThat(state.getReason()).as(state.getMessage()).isEqualTo("InvalidResource");
        assertThat(bridge.created()).as("kernel objects created for %s", attack).isEmpty();
        leaks.assertNothingLeaked();
        assertThat(victimStillPinned()).as("the other tool's pin").isTrue();
        assertThat(host.unload(name).getMessage()).as("nothing was pinned, and unload says so")
                .startsWith("nothing to unload");
    }

    @Test
    void fiftyLoadsOfAMapNameGivenTwiceLeaveTheFdCountFlat() {
        SignedBpfProgram twice = resource(program("count_sys_enter"), List.of(new MapSpec("counts"), new MapSpec("counts")));
        Set<String> before = FdCount.snapshot();
        LeakCheck leaks = LeakCheck.start("50 loads of a duplicate map name", bridge, fixture.pinRoot());

        for (int cycle = 0; cycle < 50; cycle++) {
            assertThat(host.apply(twice).getReason()).isEqualTo("InvalidResource");
            host.unload(name);
        }

        assertThat(FdCount.openedSince(before)).as("fds opened over 50 cycles").isEmpty();
        leaks.assertNothingLeaked();
    }

    @Test
    void unloadRemovesOnlyWhatSigilsRecordListsAndSaysWhatItLeft() throws Exception {
        NodeProgramState attached = host.apply(resource(program("count_sys_enter"), COUNTER_MAPS));
        assertThat(attached.getPhase()).as(attached.getMessage()).isEqualTo(ProgramPhase.Attached);
        Path directory = pinRoot.resolve(name);
        Path foreign = directory.resolve("other_tools_pin");
        Files.move(victim, foreign);

        NodeProgramState unloaded = host.unload(name);

        assertThat(unloaded.getMessage()).isEqualTo("unloaded; programs [" + attached.getPrograms().getFirst().getProgramId()
                + "] are gone from the kernel; left " + directory + " in place: it also holds other_tools_pin, which"
                + " Sigil's record does not list");
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactly("other_tools_pin");
        }
        try (Fd map = bridge.objGet(foreign)) {
            assertThat(bridge.mapInfo(map, false).id()).as("the other tool's pin, untouched").isEqualTo(victimId);
        }
        Files.delete(foreign);
    }

    @Test
    void unloadOfADirectoryWithoutSigilsRecordClaimsNothingAndRemovesNothing() throws Exception {
        NodeProgramState attached = host.apply(resource(program("count_sys_enter"), COUNTER_MAPS));
        assertThat(attached.getPhase()).as(attached.getMessage()).isEqualTo(ProgramPhase.Attached);
        // What the old agent left for a program named count_sys_enter/x: a link pin one directory down, no record.
        Path leftover = pinRoot.resolve("leftover").resolve("link_count_sys_enter");
        Files.createDirectories(leftover);
        try (Fd link = bridge.objGet(new PinDirectory(bridge, pinRoot).linkPin(name, "count_sys_enter",
                new AttachTarget.RawTracepoint("sys_enter")))) {
            bridge.objPin(link, leftover.resolve("x"));
        }

        NodeProgramState unloaded = host.unload("leftover");

        assertThat(unloaded.getMessage()).isEqualTo("no pin record of leftover: nothing of Sigil's to unload; no pin"
                + " record in " + pinRoot.resolve("leftover") + ", so nothing in it is Sigil's to remove (left in place:"
                + " link_count_sys_enter)");
        assertThat(leftover.resolve("x")).as("a pin Sigil's record does not list").exists();
        HostFixture.removeTree(pinRoot.resolve("leftover"));
    }

    private boolean victimStillPinned() {
        try (Fd map = bridge.objGet(victim)) {
            return bridge.mapInfo(map, false).id() == victimId;
        }
    }

    private SignedBpfProgram resource(List<ProgramSpec> programs, List<MapSpec> maps) {
        SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());
        return TestResources.resource(name, 1, bundle, programs, maps, Enforcement.Auto);
    }

    private static List<ProgramSpec> program(String programName) {
        return List.of(new ProgramSpec(programName, AttachSpec.rawTracepoint("sys_enter")));
    }
}
