package dev.sigil.bpf.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.bpf.testing.FdCount;
import dev.sigil.signing.testing.Shell;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A thread in another network namespace sees that namespace's interfaces, and the rest of the JVM does not move. */
class NetworkNamespaceThreadIT {
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String rootInterface = "sgr" + suffix;
    private final SyscallBridge bridge = LinuxSyscallBridge.create();

    @AfterEach
    void removeInterface() {
        Shell.quietly("ip", "link", "del", rootInterface);
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals(name));
    }

    @Test
    void anIsolatedThreadSeesOnlyItsOwnLoopbackAndEndsOnClose() {
        Shell.run("ip", "link", "add", rootInterface, "type", "bridge");
        String threadName = "sigil-test-isolated-" + suffix;

        try (NetworkNamespaceThread isolated = NetworkNamespaceThread.isolated(bridge, threadName)) {
            assertThat(isolated.call(() -> bridge.interfaceIndex("lo"))).isEqualTo(1);
            assertThatThrownBy(() -> isolated.call(() -> bridge.interfaceIndex(rootInterface)))
                    .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.is(Errno.ENODEV)).isTrue());
            assertThat(bridge.interfaceIndex(rootInterface)).as("this thread stays in the root namespace").isPositive();
        }
        assertThat(threadAlive(threadName)).isFalse();
    }

    @Test
    void enteringANamespaceThatDoesNotExistNamesTheCallAndLeavesNothingBehind() {
        Set<String> fds = FdCount.snapshot();
        String threadName = "sigil-test-missing-" + suffix;
        Path missing = Path.of("/var/run/netns/sigil-missing-" + suffix);

        assertThatThrownBy(() -> NetworkNamespaceThread.entering(bridge, missing, threadName))
                .isInstanceOfSatisfying(SyscallException.class, e -> {
                    assertThat(e.is(Errno.ENOENT)).isTrue();
                    assertThat(e.getMessage()).contains("open failed: ENOENT (No such file or directory)",
                            missing.toString());
                });
        assertThat(threadAlive(threadName)).isFalse();
        assertThat(FdCount.openedSince(fds)).as("fds leaked").isEmpty();
    }
}
