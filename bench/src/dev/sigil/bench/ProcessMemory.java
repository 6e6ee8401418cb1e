package dev.sigil.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The benchmark process's resident set as the kernel counts it (what a container's memory limit sees). */
final class ProcessMemory {
    private ProcessMemory() {
    }

    static long rssKib() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no VmRSS in /proc/self/status"));
    }
}
