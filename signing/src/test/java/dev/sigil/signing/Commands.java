package dev.sigil.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real tool (openssl, the C compiler) for interop tests; a failure carries the tool's stderr. */
final class Commands {
    /** Exit status and output of one run. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    private Commands() {
    }

    static String run(Path dir, String... command) {
        Result result = attempt(dir, command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ":\n" + result.stderr());
        }
        return result.stdout();
    }

    static Result attempt(Path dir, String... command) {
        try {
            Path stdout = Files.createTempFile(dir, "stdout", ".txt");
            Path stderr = Files.createTempFile(dir, "stderr", ".txt");
            Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
            }
            Result result = new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
            Files.delete(stdout);
            Files.delete(stderr);
            return result;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command[0], e);
        }
    }

    /** The host C compiler: cc if present, else clang (which the BPF build needs anyway). */
    static String cCompiler() {
        for (String candidate : List.of("cc", "clang", "gcc")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                if (Files.isExecutable(Path.of(dir, candidate))) {
                    return candidate;
                }
            }
        }
        throw new AssertionError("no C compiler (cc, clang, gcc) on PATH; install clang");
    }
}
