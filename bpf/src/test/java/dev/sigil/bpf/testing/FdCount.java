package dev.sigil.bpf.testing;

import dev.sigil.bpf.sys.ObjectKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The process's open file descriptors ({@code /proc/self/fd}), to prove a code path leaks none. */
public final class FdCount {
    /**
     * The anon-inode names of BPF fds; a link's first fd is "bpf_link", later ones (BPF_OBJ_GET,
     * GET_FD_BY_ID) "bpf-link". Each kind's id is under its own key in {@code /proc/self/fdinfo}.
     */
    private static final Map<String, ObjectKind> BPF_INODES = Map.of(
            "anon_inode:bpf-prog", ObjectKind.PROGRAM,
            "anon_inode:bpf-map", ObjectKind.MAP,
            "anon_inode:bpf_link", ObjectKind.LINK,
            "anon_inode:bpf-link", ObjectKind.LINK);
    private static final Map<ObjectKind, String> ID_KEYS = Map.of(
            ObjectKind.PROGRAM, "prog_id:", ObjectKind.MAP, "map_id:", ObjectKind.LINK, "link_id:");

    private FdCount() {
    }

    /**
     * Every open fd, described ({@code 12 -> anon_inode:bpf-prog PROGRAM 345}): the BPF object id makes a
     * closed fd whose number was reused for another object count as a change. Class-path jars are left out:
     * the JVM opens them on first use and keeps them, which is nothing the code under test holds.
     */
    public static Set<String> snapshot() {
        return describe(open()).stream().filter(fd -> !fd.endsWith(".jar"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The fds open now that were not in {@code before}: what a code path leaked. An fd closed meanwhile is
     * no leak; the JVM and earlier tests' subprocess pipes close on their own schedule.
     */
    public static Set<String> openedSince(Set<String> before) {
        Set<String> opened = snapshot();
        opened.removeAll(before);
        return opened;
    }

    private static Set<String> open() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(Path::getFileName).map(Path::toString).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> describe(Set<String> fds) {
        Set<String> described = new TreeSet<>();
        for (String fd : fds) {
            try {
                String target = Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).toString();
                described.add(fd + " -> " + target + objectBehind(Integer.parseInt(fd), target)
                        .map(object -> " " + object).orElse(""));
            } catch (IOException e) {
                // Closed since it was listed (the listing's own directory fd, typically).
            }
        }
        return described;
    }

    /** The BPF program, map or link an open fd refers to; empty for any other file. */
    public static Optional<KernelObject> objectBehind(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
            return objectBehind(fd, target);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<KernelObject> objectBehind(int fd, String target) throws IOException {
        ObjectKind kind = BPF_INODES.get(target);
        if (kind == null) {
            return Optional.empty();
        }
        List<String> info = Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd)));
        return info.stream().filter(line -> line.startsWith(ID_KEYS.get(kind))).findFirst()
                .map(line -> new KernelObject(kind, Integer.parseInt(line.substring(line.indexOf(':') + 1).strip())));
    }

    /** A kernel object by kind and id, as BPF_*_GET_FD_BY_ID names it. */
    public record KernelObject(ObjectKind kind, int id) {
        @Override
        public String toString() {
            return kind + " " + id;
        }
    }
}
