package dev.sigil.signing.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs real tools in tests (openssl, the C compiler, ip, ping, bpftool) and fails loudly with their output. stdin is
 * /dev/null and the output goes through files, so no pipe stays open in the test's process (fd checks see them).
 */
public final class Shell {
    private static final long TIMEOUT_SECONDS = 120;

    /** Exit status and output of one run. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private Shell() {
    }

    /** The command's stdout; its failure (non-zero exit) throws with its stderr. */
    public static String run(String... command) {
        return run(null, command);
    }

    /** As {@link #run(String...)}, in {@code dir} ({@code null}: this process's directory). */
    public static String run(Path dir, String... command) {
        Result result = attempt(dir, command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.exitCode() + ": "
                    + result.stderr() + result.stdout());
        }
        return result.stdout();
    }

    /** Like {@link #run(String...)} but for clean-up: never throws, so every clean-up step gets its turn. */
    public static void quietly(String... command) {
        try {
            run(command);
        } catch (IllegalStateException ignored) {
            // Already gone, or never created because set-up failed earlier.
        }
    }

    /** Runs the command whatever its exit status, for tests that expect a tool to refuse. */
    public static Result attempt(Path dir, String... command) {
        Path stdout = null;
        Path stderr = null;
        try {
            stdout = Files.createTempFile("sigil-shell", ".out");
            stderr = Files.createTempFile("sigil-shell", ".err");
            ProcessBuilder builder = new ProcessBuilder(List.of(command))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command[0], e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** The host C compiler: cc if present, else clang (which the BPF build needs anyway), else gcc. */
    public static String cCompiler() {
        for (String candidate : List.of("cc", "clang", "gcc")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                if (Files.isExecutable(Path.of(dir, candidate))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no C compiler (cc, clang, gcc) on PATH; install clang");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temp file left behind is harmless.
            }
        }
    }
}
