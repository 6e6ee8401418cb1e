package dev.sigil.agent.pods;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the kubelet puts a pod's cgroup v2 directory, by its conventions: under {@code kubepods.slice} (systemd
 * driver) or {@code kubepods} (cgroupfs driver) below the cgroup root, Guaranteed pods directly, Burstable and
 * BestEffort pods under their class's branch, named after the pod's UID (with '_' for '-' in systemd slice names).
 * The driver is forced, or detected from which of the two top directories exists.
 */
public final class KubeletCgroups {
    /** A Kubernetes UID is a UUID; anything else could name a path outside the pod tree and is refused. */
    private static final Pattern UID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
    private static final String SYSTEMD_TOP = "kubepods.slice";
    private static final String CGROUPFS_TOP = "kubepods";

    private final Path root;
    private final Optional<CgroupDriver> forced;

    /**
     * @param root   the cgroup v2 mount the kubelet's tree is under, normally {@code /sys/fs/cgroup}
     * @param forced the driver the kubelet is configured with, or empty to detect it
     */
    public KubeletCgroups(Path root, Optional<CgroupDriver> forced) {
        this.root = root;
        this.forced = forced;
    }

    /**
     * The driver: the forced one, else the one whose top directory exists under the root.
     *
     * @throws IllegalStateException in one line when neither or both exist and none is forced
     */
    public CgroupDriver driver() {
        if (forced.isPresent()) {
            return forced.get();
        }
        boolean systemd = Files.isDirectory(root.resolve(SYSTEMD_TOP));
        boolean cgroupfs = Files.isDirectory(root.resolve(CGROUPFS_TOP));
        if (systemd == cgroupfs) {
            throw new IllegalStateException("cannot tell the kubelet's cgroup driver: " + root.resolve(SYSTEMD_TOP) + " and "
                    + root.resolve(CGROUPFS_TOP) + (systemd ? " both exist" : " do not exist")
                    + "; set the agent's --cgroup-driver (and --cgroup-root)");
        }
        return systemd ? CgroupDriver.Systemd : CgroupDriver.Cgroupfs;
    }

    /** The pod's cgroup directory by the detected or forced driver, whether or not it exists yet. */
    public Path podCgroup(String uid, QosClass qos) {
        return podCgroup(root, driver(), uid, qos);
    }

    /** The pod's cgroup directory if the kubelet has created it. */
    public Optional<Path> existing(String uid, QosClass qos) {
        Path cgroup = podCgroup(uid, qos);
        return Files.isDirectory(cgroup) ? Optional.of(cgroup) : Optional.empty();
    }

    /**
     * The pod's cgroup directory under {@code root} by the given driver's naming.
     *
     * @throws IllegalArgumentException when the UID is not a UUID
     */
    public static Path podCgroup(Path root, CgroupDriver driver, String uid, QosClass qos) {
        if (uid == null || !UID.matcher(uid).matches()) {
            throw new IllegalArgumentException("pod UID '" + uid + "' is not a UUID");
        }
        String branch = qos.name().toLowerCase(Locale.ROOT);
        return switch (driver) {
            case Systemd -> {
                String slice = uid.replace('-', '_');
                yield qos == QosClass.Guaranteed
                        ? root.resolve(SYSTEMD_TOP).resolve("kubepods-pod" + slice + ".slice")
                        : root.resolve(SYSTEMD_TOP).resolve("kubepods-" + branch + ".slice")
                                .resolve("kubepods-" + branch + "-pod" + slice + ".slice");
            }
            case Cgroupfs -> qos == QosClass.Guaranteed
                    ? root.resolve(CGROUPFS_TOP).resolve("pod" + uid)
                    : root.resolve(CGROUPFS_TOP).resolve(branch).resolve("pod" + uid);
        };
    }
}
