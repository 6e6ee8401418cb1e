package dev.sigil.agent.pods;

import static org.awaitility.Awaitility.await;

import dev.sigil.bpf.kernel.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A kubelet-style cgroup v2 tree of a test's own: a unique directory under the real cgroup2 mount standing for the
 * cgroup root, in which {@link #createPod} makes a pod's cgroup where the kubelet would (real cgroups: programs
 * attach to them and processes join them). {@link #close} removes every directory, deepest first.
 */
public final class KubeletCgroupTree implements AutoCloseable {
    private final Path root;
    private final CgroupDriver driver;

    private KubeletCgroupTree(Path root, CgroupDriver driver) {
        this.root = root;
        this.driver = driver;
    }

    public static KubeletCgroupTree create(CgroupDriver driver) throws IOException {
        Path mount = Mounts.system().mountPointOf("cgroup2")
                .orElseThrow(() -> new IllegalStateException("no cgroup2 mount on this machine"));
        Path root = mount.resolve("sigil-kubelet-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(root);
        return new KubeletCgroupTree(root, driver);
    }

    public Path root() {
        return root;
    }

    public KubeletCgroups cgroups() {
        return new KubeletCgroups(root, java.util.Optional.empty());
    }

    /** Creates the pod's cgroup (and its class's branch) as the kubelet would; returns it. */
    public Path createPod(String uid, QosClass qos) throws IOException {
        Path pod = KubeletCgroups.podCgroup(root, driver, uid, qos);
        Files.createDirectories(pod);
        return pod;
    }

    /** Removes the pod's cgroup, as the kubelet does when the pod is gone. */
    public void removePod(String uid, QosClass qos) {
        remove(KubeletCgroups.podCgroup(root, driver, uid, qos));
    }

    @Override
    public void close() throws IOException {
        List<Path> directories = new ArrayList<>();
        try (Stream<Path> tree = Files.walk(root)) {
            tree.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .forEach(directories::add);
        }
        directories.forEach(KubeletCgroupTree::remove);
    }

    /** A process that joined the cgroup may still be exiting: rmdir fails with EBUSY until it has. */
    private static void remove(Path cgroup) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            Files.deleteIfExists(cgroup);
            return true;
        });
    }
}
