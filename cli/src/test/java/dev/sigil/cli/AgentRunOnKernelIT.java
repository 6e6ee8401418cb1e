package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.testing.ProbeKind;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.signing.testing.Shell;
import dev.sigil.bpf.testing.TargetBinary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The "done when" for the probe kinds, as an operator would do it: {@code sigil sign --attach} a
 * counting program compiled in the build, then {@code sigil agent run} it on this kernel while the test makes
 * its event happen; the live table's counter rises, and when the run ends the program is gone from the kernel
 * and nothing is left under the pin root.
 */
class AgentRunOnKernelIT {
    private static final Pattern HITS = Pattern.compile("hits=(\\d+)");

    @TempDir
    Path dir;
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String namespace = "sigil-test-run-" + suffix;
    private final Path pinRoot = Path.of("/sys/fs/bpf/sigil-test-run-" + suffix);
    private final AtomicBoolean firing = new AtomicBoolean();
    private TargetBinary target;
    private Thread events;

    @BeforeEach
    void compileTarget() throws Exception {
        target = TargetBinary.compile(Files.createDirectories(dir.resolve("target")));
    }

    @AfterEach
    void cleanUp() throws Exception {
        firing.set(false);
        if (events != null) {
            events.join();
        }
        Shell.quietly("ip", "netns", "del", namespace);
        if (Files.exists(pinRoot)) {
            try (Stream<Path> walk = Files.walk(pinRoot)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private String attach(ProbeKind kind) {
        return switch (kind) {
            case Tracepoint -> "tracepoint:syscalls/sys_enter_openat";
            case Uprobe -> "uprobe:" + target.path() + ":" + TargetBinary.FUNCTION;
            case Uretprobe -> "uretprobe:" + target.path() + ":" + TargetBinary.FUNCTION;
            case SkLookup -> "sk_lookup:/var/run/netns/" + namespace;
        };
    }

    /** Makes the kind's event happen, over and over, until the test ends. */
    private void fireUntilStopped(ProbeKind kind) {
        firing.set(true);
        events = Thread.ofPlatform().name("sigil-test-events").start(() -> {
            while (firing.get()) {
                kind.fire(target, Path.of("/var/run/netns", namespace), 50);
            }
        });
    }

    private Path skeleton(ProbeKind kind) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(kind.skeleton())) {
            if (in == null) {
                throw new IllegalStateException(kind.skeleton() + " is not on the test class path");
            }
            return Files.write(dir.resolve(kind.program + ".lskel.h"), in.readAllBytes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProbeKind.class)
    void signsRunsCountsAndUnloads(ProbeKind kind) throws Exception {
        KernelAssumptions.require(kind.attachKind + " attach", KernelAssumptions.requireLoaderHashV1().attach(kind.attachKind));
        if (kind == ProbeKind.SkLookup) {
            Shell.run("ip", "netns", "add", namespace);
            Shell.run("ip", "-n", namespace, "link", "set", "lo", "up");
        }
        Path keys = Sigil.keygen(dir.resolve("keys"), "CN=release");
        Path resource = dir.resolve("probe.yaml");
        String name = kind.name().toLowerCase() + "-" + suffix;
        Sigil.Run sign = Sigil.run("sign", "--skeleton", skeleton(kind), "--key", keys.resolve("key.pem"),
                "--cert", keys.resolve("cert.pem"), "--name", name, "-o", resource, "--attach", kind.program + "=" + attach(kind));
        assertThat(sign.exitCode()).as(sign.err()).isZero();

        fireUntilStopped(kind);
        Sigil.Run run = Sigil.run("agent", "run", "--trust", keys.resolve("cert.pem"), "--pin-root", pinRoot,
                "--interval", "300ms", "--duration", "3s", resource);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<Long> hits = HITS.matcher(run.out()).results().map(match -> Long.parseLong(match.group(1))).toList();
        assertThat(hits).as(run.out()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(hits.getLast()).as("the counter rises: %s", run.out()).isGreaterThan(hits.getFirst());
        assertThat(run.out()).contains(kind.attachKind.name() + "(", "unloaded " + name);
        Matcher programId = Pattern.compile(kind.program + "\\s+Attached\\s+\\S+\\s+(\\d+)").matcher(run.out());
        assertThat(programId.find()).as(run.out()).isTrue();
        try (Fd gone = LinuxSyscallBridge.create().fdById(ObjectKind.PROGRAM, Integer.parseInt(programId.group(1))).orElse(null)) {
            assertThat(gone).as("program %s after the run", programId.group(1)).isNull();
        }
        try (Stream<Path> left = Files.exists(pinRoot) ? Files.list(pinRoot) : Stream.empty()) {
            assertThat(left).as("pins left under %s", pinRoot).isEmpty();
        }
    }
}
