package dev.sigil.bpf.testing;

import dev.sigil.signing.testing.Shell;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A user-space program of the tests' own for uprobes: gcc compiles it into a scratch directory. It calls
 * {@value #FUNCTION} as many times as its first argument says, then exits; started {@linkplain #startWaiting
 * waiting}, it first reads a line from standard input, so a test can learn its pid (and attach a probe
 * filtered to it) before any call.
 */
public final class TargetBinary {
    /** The function the tests probe: not inlined, so every call enters it. */
    public static final String FUNCTION = "sigil_target";
    private static final String SOURCE = """
            #include <stdio.h>
            #include <stdlib.h>

            __attribute__((noinline)) int sigil_target(int value)
            {
                __asm__ volatile("" ::: "memory");
                return value + 1;
            }

            int main(int argc, char **argv)
            {
                long calls = argc > 1 ? atol(argv[1]) : 1;
                if (argc > 2) {
                    char line[16];
                    if (!fgets(line, sizeof line, stdin))
                        return 2;
                }
                int total = 0;
                for (long i = 0; i < calls; i++)
                    total = sigil_target(total);
                printf("%d\\n", total);
                return 0;
            }
            """;

    private final Path binary;

    private TargetBinary(Path binary) {
        this.binary = binary;
    }

    /** Compiles the program into {@code directory} (which the test removes), with {@code extraFlags} for gcc. */
    public static TargetBinary compile(Path directory, String... extraFlags) throws IOException, InterruptedException {
        Path source = directory.resolve("sigil_target.c");
        Files.writeString(source, SOURCE);
        Path binary = directory.resolve("sigil-target");
        List<String> command = new ArrayList<>(List.of("gcc", "-O1", "-o", binary.toString(), source.toString()));
        command.addAll(List.of(extraFlags));
        Shell.run(command.toArray(String[]::new));
        return new TargetBinary(binary);
    }

    public Path path() {
        return binary;
    }

    /** Runs the program to its end, making {@code calls} calls of the function. */
    public void run(int calls) {
        Shell.run(binary.toString(), Integer.toString(calls));
    }

    /** Starts the program waiting for a line on standard input before it makes {@code calls} calls. */
    public Waiting startWaiting(int calls) throws IOException {
        Process process = new ProcessBuilder(binary.toString(), Integer.toString(calls), "wait")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new Waiting(process);
    }

    /** A started program, waiting: {@link #go()} lets it make its calls and waits for it to end. */
    public static final class Waiting implements AutoCloseable {
        private final Process process;

        private Waiting(Process process) {
            this.process = process;
        }

        public int pid() {
            return (int) process.pid();
        }

        public void go() throws IOException, InterruptedException {
            try (OutputStream in = process.getOutputStream()) {
                in.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("the target program did not finish cleanly (exit "
                        + (process.isAlive() ? "none yet" : process.exitValue()) + ")");
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // Already closed by go().
            }
        }
    }
}
