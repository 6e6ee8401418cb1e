package dev.sigil.bpf.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.kernel.Mounts;
import dev.sigil.bpf.sys.BpfAttachType;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinkInfo;
import dev.sigil.bpf.sys.LinkType;
import dev.sigil.bpf.sys.ProgramType;
import dev.sigil.bpf.testing.CountingProgram;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.LeakCheck;
import dev.sigil.bpf.testing.NamespaceTraffic;
import dev.sigil.bpf.testing.RecordingBridge;
import dev.sigil.signing.testing.Shell;
import dev.sigil.bpf.testing.TargetBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The probe kinds on the real kernel, through the library's {@link Attacher} with counting programs assembled
 * here: every uprobe and uretprobe call counted exactly, through a perf-event link and through uprobe_multi
 * (which only a program loaded for it can use), a pid filter that counts one process only, a classic
 * tracepoint, and sk_lookup on a network namespace of the test's own. Failures name what is missing and
 * leave nothing behind.
 */
class ProbeAttachIT {
    private static final int CALLS = 1000;
    @TempDir
    static Path work;
    private static TargetBinary target;

    private final RecordingBridge bridge = new RecordingBridge();
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String namespace = "sigil-test-sk-" + suffix;
    private KernelFeatures kernel;
    private Attacher attacher;

    @BeforeAll
    static void compileTarget() throws Exception {
        target = TargetBinary.compile(work);
    }

    @BeforeEach
    void start() {
        kernel = KernelAssumptions.features();
        KernelAssumptions.require("bpf()", kernel.bpf());
        attacher = new Attacher(bridge, kernel);
    }

    @AfterEach
    void removeNamespace() {
        Shell.quietly("ip", "netns", "del", namespace);
    }

    private UserFunction function(OptionalInt pid) {
        return new UserFunction(target.path(), TargetBinary.FUNCTION, 0, pid);
    }

    private static AttachTarget probe(boolean retprobe, UserFunction function) {
        return retprobe ? new AttachTarget.Uretprobe(function) : new AttachTarget.Uprobe(function);
    }

    private static int expectedAttachType(boolean multi) {
        return multi ? BpfAttachType.TRACE_UPROBE_MULTI.code() : 0;
    }

    private void requireUprobes(boolean retprobe, boolean multi) {
        KernelAssumptions.require(retprobe ? "uretprobe attach" : "uprobe attach",
                kernel.attach(retprobe ? AttachKind.Uretprobe : AttachKind.Uprobe));
        if (multi) {
            KernelAssumptions.require("uprobe_multi links", kernel.uprobeMulti());
        }
    }

    @ParameterizedTest(name = "retprobe={0}")
    @ValueSource(booleans = {false, true})
    void countsEveryCallThroughAPerfEventLinkAndNoneOnceUnlinked(boolean retprobe) throws Exception {
        countsEveryCall(retprobe, false, LinkType.PERF_EVENT);
    }

    @ParameterizedTest(name = "retprobe={0}")
    @ValueSource(booleans = {false, true})
    void countsEveryCallThroughAUprobeMultiLinkWhenTheProgramWasLoadedForOne(boolean retprobe) throws Exception {
        countsEveryCall(retprobe, true, LinkType.UPROBE_MULTI);
    }

    private void countsEveryCall(boolean retprobe, boolean multi, LinkType linkType) throws Exception {
        requireUprobes(retprobe, multi);
        try (CountingProgram program = CountingProgram.load(bridge, ProgramType.KPROBE, expectedAttachType(multi), 0)) {
            try (Fd link = attacher.attach("count", program.fd(), ProgramType.KPROBE.code(), expectedAttachType(multi),
                    probe(retprobe, function(OptionalInt.empty())))) {
                assertThat(bridge.linkInfo(link).linkType()).contains(linkType);
                target.run(CALLS);
                assertThat(program.hits()).isEqualTo(CALLS);
            }
            target.run(CALLS);
            assertThat(program.hits()).as("after the link is closed").isEqualTo(CALLS);
        }
    }

    @ParameterizedTest(name = "uprobe_multi={0}")
    @ValueSource(booleans = {false, true})
    void aPidFilterCountsTheCallsOfThatProcessOnly(boolean multi) throws Exception {
        requireUprobes(false, multi);
        try (CountingProgram program = CountingProgram.load(bridge, ProgramType.KPROBE, expectedAttachType(multi), 0);
             TargetBinary.Waiting watched = target.startWaiting(CALLS);
             TargetBinary.Waiting other = target.startWaiting(3 * CALLS);
             Fd link = attacher.attach("count", program.fd(), ProgramType.KPROBE.code(), expectedAttachType(multi),
                     probe(false, function(OptionalInt.of(watched.pid()))))) {
            other.go();
            watched.go();
            assertThat(program.hits()).isEqualTo(CALLS);
        }
    }

    @Test
    void countsAClassicTracepointAndLeavesNoTracefsMountOfItsOwn() throws Exception {
        KernelAssumptions.require("tracepoint attach", kernel.attach(AttachKind.Tracepoint));
        try (CountingProgram program = CountingProgram.load(bridge, ProgramType.TRACEPOINT, 0, 0);
             Fd link = attacher.attach("count", program.fd(), ProgramType.TRACEPOINT.code(), 0,
                     new AttachTarget.Tracepoint("syscalls", "sys_enter_openat"))) {
            assertThat(bridge.linkInfo(link).linkType()).contains(LinkType.PERF_EVENT);
            for (int i = 0; i < 20; i++) {
                Files.readAllBytes(target.path());
            }
            assertThat(program.hits()).isGreaterThanOrEqualTo(20);
        }
        assertThat(Mounts.system().list()).as("tracefs mounts on scratch directories")
                .noneMatch(mount -> mount.type().equals("tracefs") && mount.mountPoint().toString().contains("sigil-tracefs-"));
    }

    @Test
    void countsSocketLookupsInANetworkNamespaceUntilDetached() throws Exception {
        KernelAssumptions.require("sk_lookup attach", kernel.attach(AttachKind.SkLookup));
        Shell.run("ip", "netns", "add", namespace);
        Shell.run("ip", "-n", namespace, "link", "set", "lo", "up");
        Path file = Path.of("/var/run/netns", namespace);
        try (CountingProgram program = CountingProgram.load(bridge, ProgramType.SK_LOOKUP, BpfAttachType.SK_LOOKUP.code(), 1);
             Fd link = attacher.attach("count", program.fd(), ProgramType.SK_LOOKUP.code(), BpfAttachType.SK_LOOKUP.code(),
                     new AttachTarget.SkLookup(file))) {
            LinkInfo info = bridge.linkInfo(link);
            assertThat(info.linkType()).contains(LinkType.NETNS);
            assertThat(info.target()).as("the namespace's inode").isEqualTo(inode(file));
            NamespaceTraffic.sendDatagrams(file, 10);
            assertThat(program.hits()).isGreaterThanOrEqualTo(10);

            bridge.linkDetach(link);
            assertThat(bridge.linkInfo(link).detached()).isTrue();
            long before = program.hits();
            NamespaceTraffic.sendDatagrams(file, 10);
            assertThat(program.hits()).as("after BPF_LINK_DETACH").isEqualTo(before);
        }
    }

    private static long inode(Path file) throws Exception {
        return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    }

    @Test
    void namesAMissingBinarySymbolTracepointOrNamespaceAndLeavesNothingBehind() throws Exception {
        requireUprobes(false, false);
        KernelAssumptions.require("tracepoint attach", kernel.attach(AttachKind.Tracepoint));
        KernelAssumptions.require("sk_lookup attach", kernel.attach(AttachKind.SkLookup));
        try (CountingProgram uprobe = CountingProgram.load(bridge, ProgramType.KPROBE, 0, 0);
             CountingProgram tracepoint = CountingProgram.load(bridge, ProgramType.TRACEPOINT, 0, 0);
             CountingProgram skLookup = CountingProgram.load(bridge, ProgramType.SK_LOOKUP, BpfAttachType.SK_LOOKUP.code(), 1)) {
            refused("missing binary", uprobe, 0, new AttachTarget.Uprobe(new UserFunction(work.resolve("no-such-binary"),
                    "main", 0, OptionalInt.empty())), "no-such-binary does not exist");
            refused("missing symbol", uprobe, 0, new AttachTarget.Uprobe(new UserFunction(target.path(),
                    "sigil_no_such_function", 0, OptionalInt.empty())), "has no function sigil_no_such_function");
            refused("offset past the function", uprobe, 0, new AttachTarget.Uretprobe(new UserFunction(target.path(),
                    TargetBinary.FUNCTION, 4096, OptionalInt.empty())), "past the end of sigil_target");
            refused("missing process", uprobe, 0, new AttachTarget.Uprobe(new UserFunction(target.path(),
                    TargetBinary.FUNCTION, 0, OptionalInt.of(UserFunction.MAX_PID))), "ESRCH");
            refused("missing tracepoint", tracepoint, 0, new AttachTarget.Tracepoint("syscalls", "sys_enter_sigil"),
                    "no tracepoint syscalls/sys_enter_sigil");
            refused("missing namespace", skLookup, BpfAttachType.SK_LOOKUP.code(),
                    new AttachTarget.SkLookup(Path.of("/var/run/netns", namespace)), "ENOENT");
        }
    }

    private void refused(String what, CountingProgram program, int expectedAttachType, AttachTarget attachTarget,
            String mentions) {
        LeakCheck leaks = LeakCheck.start(what, bridge, work.resolve("no-pins"));
        assertThatThrownBy(() -> attacher.attach("count", program.fd(), program.type(), expectedAttachType, attachTarget))
                .as(what).isInstanceOfSatisfying(BpfFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(FailureReason.AttachFailed);
                    assertThat(failure.getMessage()).contains("program count", mentions);
                });
        leaks.assertNothingLeaked();
    }

    @Test
    void refusesAProgramOfAnotherTypeBeforeTouchingTheTarget() {
        requireUprobes(false, false);
        try (CountingProgram tracepoint = CountingProgram.load(bridge, ProgramType.TRACEPOINT, 0, 0)) {
            assertThatThrownBy(() -> attacher.attach("count", tracepoint.fd(), ProgramType.TRACEPOINT.code(), 0,
                    new AttachTarget.Uprobe(function(OptionalInt.empty()))))
                    .isInstanceOfSatisfying(BpfFailure.class, failure ->
                            assertThat(failure.getMessage()).contains("TRACEPOINT program", "Uprobe", "KPROBE"));
        }
    }
}
