package dev.sigil.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The workload the build records sigil's JDK AOT cache from ({@code SIGIL_AOT_TRAIN=1 bin/sigil
 * SKELETON}, see build-tools/jdk.sh): the commands users start most, in one JVM, on a throwaway key and
 * the given light skeleton, so later JVMs find those classes already loaded and linked. It loads no BPF
 * program (the build needs neither root nor a kernel); the agent's kernel classes still load from the
 * jar as usual. Output is discarded: only the classes it touches matter.
 */
final class StartupTraining {
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
                CommandLine commandLine = SigilCommand.commandLine();
                commandLine.setOut(new PrintWriter(Writer.nullWriter()));
                commandLine.setErr(new PrintWriter(Writer.nullWriter()));
                int exitCode = commandLine.execute(command.toArray(String[]::new));
                if (exitCode != 0) {
                    throw new IllegalStateException("training command failed (exit " + exitCode + "): sigil " + String.join(" ", command));
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
