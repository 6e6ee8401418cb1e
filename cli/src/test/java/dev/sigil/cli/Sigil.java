package dev.sigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs {@code sigil} in process, as main would, with its output captured. */
final class Sigil {
    /** Exit status and what the command printed. */
    record Run(int exitCode, String out, String err) {
    }

    static final String COUNTER_SKELETON = "examples/counter/counter.lskel.h";

    private Sigil() {
    }

    static Run run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SigilCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            strings[i] = String.valueOf(args[i]);
        }
        int exitCode = commandLine.execute(strings);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** The example's light skeleton (from the sigil-example-counter test dependency), copied to {@code dir}. */
    static Path counterSkeleton(Path dir) throws IOException {
        try (InputStream in = Sigil.class.getClassLoader().getResourceAsStream(COUNTER_SKELETON)) {
            if (in == null) {
                throw new IllegalStateException(COUNTER_SKELETON + " is not on the test classpath");
            }
            Path file = dir.resolve("counter.lskel.h");
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    /** A self-signed EC key from {@code sigil keygen} in {@code dir}. */
    static Path keygen(Path dir, String subject) {
        Run run = run("keygen", "--out", dir, "--ec", "P-256", "--subject", subject);
        if (run.exitCode() != 0) {
            throw new IllegalStateException("keygen failed: " + run.err());
        }
        return dir;
    }

    /** The repository root, which Surefire passes as SIGIL_ROOT. */
    static Path repositoryRoot() {
        String root = System.getenv("SIGIL_ROOT");
        if (root == null) {
            throw new IllegalStateException("SIGIL_ROOT is not set; run the tests through Maven");
        }
        return Path.of(root);
    }
}
