package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.testing.KernelAssumptions;
import dev.sigil.signing.testing.Shell;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigil sign --attach xdp_count=xdp:PREFIX*} then {@code sigil agent run} on this kernel: the program lands on
 * the veth of the test's own prefix that exists at the start and follows one created while the agent runs, without
 * loading anything again; nothing is left when the run ends. The veths (root namespace, a prefix of the test's own)
 * go on every path.
 */
class AgentRunInterfacePatternIT {
    @TempDir
    Path dir;
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String prefix = "sgr" + suffix;
    private final Path pinRoot = Path.of("/sys/fs/bpf/sigil-test-pattern-" + suffix);

    @AfterEach
    void cleanUp() throws Exception {
        Shell.quietly("ip", "link", "del", prefix + "a");
        Shell.quietly("ip", "link", "del", prefix + "b");
        if (Files.exists(pinRoot)) {
            try (Stream<Path> walk = Files.walk(pinRoot)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void signsAPatternAndFollowsAVethCreatedWhileTheAgentRuns() throws Exception {
        KernelAssumptions.require("XDP attach", KernelAssumptions.requireLoaderHashV1().attach(AttachKind.Xdp));
        Shell.run("ip", "link", "add", prefix + "a", "type", "veth", "peer", "name", "sgs" + suffix + "a");
        Path keys = Sigil.keygen(dir.resolve("keys"), "CN=release");
        Path resource = dir.resolve("xdp.yaml");
        String name = "xdp-pattern-" + suffix;
        Sigil.Run sign = Sigil.run("sign", "--skeleton", skeleton(), "--key", keys.resolve("key.pem"),
                "--cert", keys.resolve("cert.pem"), "--name", name, "-o", resource, "--attach", "xdp_count=xdp:" + prefix + "*");
        assertThat(sign.exitCode()).as(sign.err()).isZero();
        assertThat(Files.readString(resource)).contains("interfacePattern: \"" + prefix + "*\"", "glob: \"" + prefix + "*\"");

        Thread newVeth = Thread.ofPlatform().name("sigil-test-new-veth").start(() -> {
            // Once the program is on the first veth, a second one appears.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> linkPins(name) >= 1);
            Shell.run("ip", "link", "add", prefix + "b", "type", "veth", "peer", "name", "sgs" + suffix + "b");
        });
        Sigil.Run run = Sigil.run("agent", "run", "--trust", keys.resolve("cert.pem"), "--pin-root", pinRoot,
                "--interval", "300ms", "--duration", "8s", resource);
        newVeth.join();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("resolved the targets of " + name + " again: targets changed: attached xdp_count"
                + " to Xdp(" + prefix + "b, Generic)", "unloaded " + name);
        try (Stream<Path> left = Files.exists(pinRoot) ? Files.list(pinRoot) : Stream.empty()) {
            assertThat(left).as("pins left under %s", pinRoot).isEmpty();
        }
    }

    private long linkPins(String name) throws IOException {
        Path directory = pinRoot.resolve(name.replace('.', '_'));
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(entry -> entry.getFileName().toString().startsWith("link_xdp_count-")).count();
        }
    }

    private Path skeleton() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("bpf/xdp_count.lskel.h")) {
            if (in == null) {
                throw new IllegalStateException("bpf/xdp_count.lskel.h is not on the test class path");
            }
            return Files.write(dir.resolve("xdp_count.lskel.h"), in.readAllBytes());
        }
    }
}
