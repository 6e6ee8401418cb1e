package dev.sigil.bpf.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The mount table ({@code /proc/self/mountinfo}): which file system holds a path. */
public final class Mounts {
    public static final Path DEFAULT_BPFFS = Path.of("/sys/fs/bpf");
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    public record Mount(Path mountPoint, String type) {
    }

    private final Path mountinfo;

    Mounts(Path mountinfo) {
        this.mountinfo = mountinfo;
    }

    public static Mounts system() {
        return new Mounts(MOUNTINFO);
    }

    public List<Mount> list() throws IOException {
        return Files.readAllLines(mountinfo).stream().map(Mounts::parse).toList();
    }

    /** mountinfo: "id parent dev root mountpoint options [optional...] - fstype source superoptions". */
    private static Mount parse(String line) {
        String[] fields = line.split(" ");
        int separator = List.of(fields).indexOf("-");
        return new Mount(Path.of(unescape(fields[4])), fields[separator + 1]);
    }

    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** The mount that holds {@code path}: the last-mounted of the longest mount points above it. */
    public Optional<Mount> covering(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        List<Mount> mounts = list();
        return mounts.stream()
                .filter(mount -> absolute.startsWith(mount.mountPoint()))
                .max(Comparator.<Mount>comparingInt(mount -> mount.mountPoint().getNameCount())
                        .thenComparingInt(mounts::lastIndexOf));
    }

    /** The first mount point of a file-system type, e.g. the cgroup2 hierarchy. */
    public Optional<Path> mountPointOf(String type) throws IOException {
        return list().stream().filter(mount -> mount.type().equals(type)).map(Mount::mountPoint).findFirst();
    }
}
