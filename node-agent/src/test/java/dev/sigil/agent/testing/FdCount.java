package dev.sigil.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The process's open file descriptors ({@code /proc/self/fd}), to prove a code path leaks none. */
public final class FdCount {
    private FdCount() {
    }

    public static Set<String> open() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(Path::getFileName).map(Path::toString).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Describes each fd ({@code 12 -> anon_inode:bpf-prog}) so a leak names what leaked. */
    public static Set<String> describe(Set<String> fds) {
        Set<String> described = new TreeSet<>();
        for (String fd : fds) {
            try {
                described.add(fd + " -> " + Files.readSymbolicLink(Path.of("/proc/self/fd", fd)));
            } catch (IOException e) {
                // Closed since it was listed (the listing's own directory fd, typically).
            }
        }
        return described;
    }
}
