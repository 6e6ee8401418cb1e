package dev.sigil.bpf.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs test set-up commands (ip, ping, bpftool) and fails loudly with their output. */
public final class Shell {
    private Shell() {
    }

    public static String run(String... command) {
        try {
            // stdin from /dev/null and stdout read to the end: no pipe stays open in this process (fd checks see them).
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String output;
            try (var stdout = process.getInputStream()) {
                output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Like {@link #run} but for clean-up: never throws, so every clean-up step gets its turn. */
    public static void quietly(String... command) {
        try {
            run(command);
        } catch (IllegalStateException ignored) {
            // Already gone, or never created because set-up failed earlier.
        }
    }
}
