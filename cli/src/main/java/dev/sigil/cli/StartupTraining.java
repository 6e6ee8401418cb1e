package dev.sigil.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The workload the build records sigil's JDK AOT cache from ({@code SIGIL_AOT_TRAIN=1 bin/sigil
 * SKELETON}, see build-tools/jdk.sh): the commands users start most, in one JVM, on a throwaway key and
 * the given light skeleton, so later JVMs find those classes already loaded and linked. Where this
 * process may load BPF programs (root, a bpffs at /sys/fs/bpf: CI and the bench machine), it ends with a
 * real {@code sigil agent run --once} of the signed example under a pin root of its own, so the agent's
 * cold start (reading the resource, the kernel probe, the loader protocol, attach, pin, unload) is trained
 * too; elsewhere (an image built without root, a build without a kernel) it says so and the agent's kernel
 * classes load from the jar as usual. Output is discarded: only the classes it touches matter.
 */
final class StartupTraining {
    private static final Path BPFFS = Path.of("/sys/fs/bpf");

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: StartupTraining SKELETON.lskel.h");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("sigil-aot-training");
        try {
            Path keys = work.resolve("keys");
            Path resource = work.resolve("counter.yaml");
            List<List<String>> commands = List.of(
                    List.of("--help"),
                    List.of("--version"),
                    List.of("keygen", "--out", keys.toString(), "--ec", "P-256", "--subject", "CN=Sigil AOT training"),
                    List.of("sign", "--skeleton", args[0], "--key", keys.resolve("key.pem").toString(),
                            "--cert", keys.resolve("cert.pem").toString(), "--name", "aot-training", "-o", resource.toString()),
                    List.of("verify", "--trust", keys.resolve("cert.pem").toString(), resource.toString()),
                    List.of("inspect", resource.toString()),
                    List.of("agent", "--help"),
                    List.of("agent", "run", "--help"));
            for (List<String> command : commands) {
                int exitCode = run(command);
                if (exitCode != 0) {
                    throw new IllegalStateException("training command failed (exit " + exitCode + "): sigil " + String.join(" ", command));
                }
            }
            applyOnThisKernel(keys.resolve("cert.pem"), resource);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static int run(List<String> command) {
        CommandLine commandLine = SigilCommand.commandLine();
        commandLine.setOut(new PrintWriter(Writer.nullWriter()));
        commandLine.setErr(new PrintWriter(Writer.nullWriter()));
        return commandLine.execute(command.toArray(String[]::new));
    }

    /** The agent's first apply, for real, where this process may load BPF; unloaded again by {@code --once}. */
    private static void applyOnThisKernel(Path trust, Path resource) throws IOException {
        if (!Files.isWritable(BPFFS)) {
            System.err.println("training: " + BPFFS + " is not writable here (not root, or no bpffs): the cache"
                    + " does not cover the agent's kernel path");
            return;
        }
        Path pinRoot = BPFFS.resolve("sigil-aot-training-" + UUID.randomUUID());
        try {
            int exitCode = run(List.of("agent", "run", "--trust", trust.toString(), "--pin-root", pinRoot.toString(),
                    "--once", resource.toString()));
            System.err.println("training: sigil agent run --once on this kernel exited " + exitCode
                    + (exitCode == 0 ? "" : ": the cache covers the agent's kernel path only as far as it went"));
        } finally {
            Files.deleteIfExists(pinRoot);
        }
    }
}
