package dev.sigil.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On a real cgroup v2 hierarchy of the test's own, laid out as each driver's kubelet lays it out: the driver is
 * detected, every class's pod cgroup is found where it is, and the tree is gone afterwards.
 */
class KubeletCgroupsIT {
    @ParameterizedTest
    @EnumSource(CgroupDriver.class)
    void findsEveryClassOfPodInTheTreeOfEachDriver(CgroupDriver driver) throws Exception {
        java.nio.file.Path root;
        try (KubeletCgroupTree tree = KubeletCgroupTree.create(driver)) {
            root = tree.root();
            for (QosClass qos : QosClass.values()) {
                String uid = UUID.randomUUID().toString();
                java.nio.file.Path pod = tree.createPod(uid, qos);
                assertThat(pod.resolve("cgroup.procs")).as("a real cgroup").exists();
                assertThat(tree.cgroups().driver()).isEqualTo(driver);
                assertThat(tree.cgroups().existing(uid, qos)).contains(pod);
                tree.removePod(uid, qos);
                assertThat(tree.cgroups().existing(uid, qos)).isEmpty();
            }
        }
        assertThat(Files.exists(root)).as("the tree is removed").isFalse();
    }
}
