package dev.sigil.agent.testing;

import static org.awaitility.Awaitility.await;

import dev.sigil.agent.node.HostConfig;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.node.ProgramHost;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.signing.TrustBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link KernelProgramHost} on the real kernel with a pin root of its own, seen through {@link HostStatus};
 * {@link #close()} unloads whatever it still holds and removes the pin root, so a failing test leaves
 * nothing in the kernel.
 */
public final class HostFixture implements AutoCloseable {
    private final Path pinRoot;
    private final KernelFeatures kernel;
    private final SyscallBridge bridge;
    private final TrustBundle trust;
    private HostStatus host;

    /**
     * A fixture on this machine's kernel, which must run LoaderHashV1 and attach {@code attachType}:
     * otherwise the test is skipped with the probe's reason, or fails under {@code SIGIL_REQUIRE_KERNEL=1}.
     */
    public static HostFixture requiring(AttachKind attachType) {
        KernelFeatures kernel = KernelAssumptions.requireLoaderHashV1();
        KernelAssumptions.require(attachType + " attach", kernel.attach(attachType));
        return new HostFixture(kernel);
    }

    public HostFixture(KernelFeatures kernel) {
        this(kernel, LinuxSyscallBridge.create(), TestBundles.trust());
    }

    public HostFixture(KernelFeatures kernel, SyscallBridge bridge, TrustBundle trust) {
        this.kernel = kernel;
        this.bridge = bridge;
        this.trust = trust;
        this.pinRoot = Path.of("/sys/fs/bpf/sigil-test-" + UUID.randomUUID().toString().substring(0, 8));
        this.host = newHost();
    }

    public HostConfig config() {
        return new HostConfig(pinRoot, trust, Clock.systemUTC(), Duration.ofSeconds(1));
    }

    private HostStatus newHost() {
        return new HostStatus(new KernelProgramHost(config(), bridge, kernel));
    }

    public KernelFeatures kernel() {
        return kernel;
    }

    public HostStatus host() {
        return host;
    }

    /** The host itself, for what drives it as the agent does (the standalone and cluster agents). */
    public ProgramHost programHost() {
        return host.host();
    }

    public Path pinRoot() {
        return pinRoot;
    }

    /** The u64 at key 0 of one of the resource's maps, as the host reads it now. */
    public long mapValue(String resource, String map) {
        return host.readMapValue(resource, map, 0).orElseThrow();
    }

    /** Waits until that value passes {@code value}, making system calls meanwhile (the example counts them). */
    public void awaitMapValueAbove(String resource, String map, long value) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Files.exists(Path.of("/proc/self/status"));
            return mapValue(resource, map) > value;
        });
    }

    /** Simulates an agent restart: the old host closes its fds (pins keep programs attached), a new one starts. */
    public HostStatus restart() {
        host.close();
        host = newHost();
        return host;
    }

    @Override
    public void close() throws IOException {
        try {
            host.adoptPinned();
            for (NodeProgramState state : host.states()) {
                host.unload(state.getName());
            }
            host.close();
        } finally {
            removeTree(pinRoot);
        }
    }

    /** For {@code @AfterEach}: a fixture that never started (the probe aborted the test) has nothing to undo. */
    public static void closeIfStarted(HostFixture fixture) throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Deletes a directory tree bottom-up; on bpffs that unpins whatever is pinned in it. */
    public static void removeTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
