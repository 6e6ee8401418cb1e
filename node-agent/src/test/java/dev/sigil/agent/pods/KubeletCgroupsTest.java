package dev.sigil.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kubelet's pod cgroup names for both drivers and every QoS class, and how the driver is told. */
class KubeletCgroupsTest {
    private static final String UID = "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b";
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    @ParameterizedTest
    @CsvSource({
            "Systemd, Guaranteed, kubepods.slice/kubepods-pod1f2e3d4c_5b6a_4798_8a9b_0c1d2e3f4a5b.slice",
            "Systemd, Burstable, kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1f2e3d4c_5b6a_4798_8a9b_0c1d2e3f4a5b.slice",
            "Systemd, BestEffort, kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1f2e3d4c_5b6a_4798_8a9b_0c1d2e3f4a5b.slice",
            "Cgroupfs, Guaranteed, kubepods/pod1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b",
            "Cgroupfs, Burstable, kubepods/burstable/pod1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b",
            "Cgroupfs, BestEffort, kubepods/besteffort/pod1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"})
    void namesThePodCgroupAsTheKubeletDoes(CgroupDriver driver, QosClass qos, String relative) {
        assertThat(KubeletCgroups.podCgroup(ROOT, driver, UID, qos)).isEqualTo(ROOT.resolve(relative));
    }

    @Test
    void refusesAUidThatIsNotAUuid() {
        for (String uid : new String[] {"../../system.slice", "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b/..", "", "x"}) {
            assertThatThrownBy(() -> KubeletCgroups.podCgroup(ROOT, CgroupDriver.Cgroupfs, uid, QosClass.Burstable))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a UUID");
        }
        assertThatThrownBy(() -> KubeletCgroups.podCgroup(ROOT, CgroupDriver.Systemd, null, QosClass.Guaranteed))
                .hasMessage("pod UID 'null' is not a UUID");
    }

    @Test
    void detectsTheDriverFromTheTopDirectoryOrTakesTheForcedOne(@TempDir Path root) throws Exception {
        KubeletCgroups detected = new KubeletCgroups(root, Optional.empty());
        assertThatThrownBy(detected::driver).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("do not exist").hasMessageContaining("--cgroup-driver");
        assertThat(new KubeletCgroups(root, Optional.of(CgroupDriver.Cgroupfs)).driver()).isEqualTo(CgroupDriver.Cgroupfs);

        Files.createDirectory(root.resolve("kubepods.slice"));
        assertThat(detected.driver()).isEqualTo(CgroupDriver.Systemd);
        Files.createDirectory(root.resolve("kubepods"));
        assertThatThrownBy(detected::driver).hasMessageContaining("both exist");
        Files.delete(root.resolve("kubepods.slice"));
        assertThat(detected.driver()).isEqualTo(CgroupDriver.Cgroupfs);
        assertThat(new KubeletCgroups(root, Optional.of(CgroupDriver.Systemd)).driver()).isEqualTo(CgroupDriver.Systemd);
    }

    @Test
    void findsOnlyAPodCgroupThatExists(@TempDir Path root) throws Exception {
        KubeletCgroups cgroups = new KubeletCgroups(root, Optional.of(CgroupDriver.Cgroupfs));
        assertThat(cgroups.existing(UID, QosClass.BestEffort)).isEmpty();
        Files.createDirectories(root.resolve("kubepods/besteffort/pod" + UID));
        assertThat(cgroups.existing(UID, QosClass.BestEffort)).contains(root.resolve("kubepods/besteffort/pod" + UID));
        assertThat(cgroups.existing(UID, QosClass.Burstable)).as("another class's branch").isEmpty();
    }

    @Test
    void readsTheQosClassOfAPodStatus() {
        assertThat(QosClass.of("Burstable")).contains(QosClass.Burstable);
        assertThat(QosClass.of(null)).isEmpty();
        assertThat(QosClass.of("burstable")).isEmpty();
    }
}
