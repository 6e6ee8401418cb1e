package dev.sigil.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.HostStatus;
import dev.sigil.agent.testing.ProbeKind;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.testing.TargetBinary;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.UserFunction;
import dev.sigil.signing.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Classic tracepoints, uprobes, uretprobes and sk_lookup through the whole agent on the real kernel: signed
 * counting programs (compiled from {@code src/test/bpf}) load, count what the test makes happen, and unload;
 * a restarted agent re-adopts them with the same link, still counting; drift (a removed link pin, and for
 * sk_lookup a detached link) is repaired.
 */
class ProbeKindsOnKernelIT {
    private static final int CALLS = 500;
    @TempDir
    static Path work;
    private static TargetBinary target;

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String namespace = "sigil-test-sk-" + suffix;
    private final SyscallBridge bridge = LinuxSyscallBridge.create();
    private HostFixture fixture;

    @BeforeAll
    static void compileTarget() throws Exception {
        target = TargetBinary.compile(work);
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            HostFixture.closeIfStarted(fixture);
        } finally {
            Shell.quietly("ip", "netns", "del", namespace);
        }
    }

    private void start(ProbeKind kind) {
        fixture = HostFixture.requiring(kind.attachKind);
        if (kind == ProbeKind.SkLookup) {
            Shell.run("ip", "netns", "add", namespace);
            Shell.run("ip", "-n", namespace, "link", "set", "lo", "up");
        }
    }

    private AttachSpec attach(ProbeKind kind) {
        return switch (kind) {
            case Tracepoint -> AttachSpec.tracepoint("syscalls", "sys_enter_openat");
            case Uprobe -> AttachSpec.userFunction(AttachType.Uprobe,
                    new UserFunction(target.path().toString(), TargetBinary.FUNCTION, null, null));
            case Uretprobe -> AttachSpec.userFunction(AttachType.Uretprobe,
                    new UserFunction(target.path().toString(), TargetBinary.FUNCTION, null, null));
            case SkLookup -> AttachSpec.skLookup(namespaceFile().toString());
        };
    }

    private Path namespaceFile() {
        return Path.of("/var/run/netns", namespace);
    }

    private SignedBpfProgram resource(String name, ProbeKind kind) {
        return TestResources.resource(name, 1, TestBundles.sign(TestBundles.skeleton(kind.skeleton()),
                TestBundles.key()), List.of(new ProgramSpec(kind.program, attach(kind))), List.of(new MapSpec("hits")),
                Enforcement.Auto);
    }

    private long hits(HostStatus host, String name) {
        return host.readMapValue(name, "hits", 0).orElseThrow();
    }

    /** Fires the kind's event and checks the counter moved by it: exactly for uprobes, at least for the others. */
    private void countsWhatFires(HostStatus host, String name, ProbeKind kind) {
        long before = hits(host, name);
        kind.fire(target, namespaceFile(), CALLS);
        long counted = hits(host, name) - before;
        if (kind.countsExactly()) {
            assertThat(counted).as("%s calls counted", kind).isEqualTo(CALLS);
        } else {
            assertThat(counted).as("%s hits counted", kind).isGreaterThanOrEqualTo(CALLS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProbeKind.class)
    void loadsCountsAndUnloads(ProbeKind kind) {
        start(kind);
        String name = TestBundles.uniqueName(kind.program.replace('_', '-'));

        NodeProgramState state = fixture.host().apply(resource(name, kind));

        assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
        LoadedProgram program = state.getPrograms().getFirst();
        assertThat(program.getAttachedTo()).startsWith(kind.attachKind.name() + "(");
        countsWhatFires(fixture.host(), name, kind);

        NodeProgramState unloaded = fixture.host().unload(name);
        assertThat(unloaded.getMessage()).contains("are gone from the kernel");
        assertThat(fixture.pinRoot().resolve(name)).doesNotExist();
        try (Fd gone = bridge.fdById(ObjectKind.PROGRAM, program.getProgramId().intValue()).orElse(null)) {
            assertThat(gone).as("program %s", program.getProgramId()).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProbeKind.class)
    void aRestartedAgentReadoptsTheSameLinkAndItKeepsCounting(ProbeKind kind) {
        start(kind);
        String name = TestBundles.uniqueName(kind.program.replace('_', '-'));
        LoadedProgram before = fixture.host().apply(resource(name, kind)).getPrograms().getFirst();

        HostStatus restarted = fixture.restart();
        List<NodeProgramState> adopted = restarted.adoptPinned();

        assertThat(adopted).singleElement().satisfies(state -> {
            assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
            LoadedProgram after = state.getPrograms().getFirst();
            assertThat(after.getLinkId()).as("same link: never detached").isEqualTo(before.getLinkId());
            assertThat(after.getProgramId()).isEqualTo(before.getProgramId());
            assertThat(after.getAttachedTo()).isEqualTo(before.getAttachedTo());
        });
        countsWhatFires(restarted, name, kind);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProbeKind.class)
    void repairsARemovedLinkPin(ProbeKind kind) throws Exception {
        start(kind);
        String name = TestBundles.uniqueName(kind.program.replace('_', '-'));
        Path pin = Path.of(fixture.host().apply(resource(name, kind)).getPrograms().getFirst().getPinPath());
        assertThat(fixture.host().repairDrift()).as("nothing drifted yet").isEmpty();

        Files.delete(pin);
        List<NodeProgramState> repaired = fixture.host().repairDrift();

        assertThat(repaired).singleElement().satisfies(state -> assertThat(state.getMessage()).contains("re-pinned"));
        assertThat(pin).exists();
        countsWhatFires(fixture.host(), name, kind);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProbeKind.class, names = "SkLookup")
    void reattachesAnSkLookupLinkDetachedBehindTheAgentsBack(ProbeKind kind) {
        start(kind);
        String name = TestBundles.uniqueName(kind.program.replace('_', '-'));
        LoadedProgram before = fixture.host().apply(resource(name, kind)).getPrograms().getFirst();
        try (Fd link = bridge.fdById(ObjectKind.LINK, before.getLinkId().intValue()).orElseThrow()) {
            bridge.linkDetach(link);
        }

        List<NodeProgramState> repaired = fixture.host().repairDrift();

        assertThat(repaired).singleElement().satisfies(state -> {
            assertThat(state.getPhase()).isEqualTo(ProgramPhase.Attached);
            assertThat(state.getMessage()).contains("re-attached sk_lookup_count");
            assertThat(state.getPrograms().getFirst().getLinkId()).isNotEqualTo(before.getLinkId());
        });
        countsWhatFires(fixture.host(), name, kind);
    }
}
