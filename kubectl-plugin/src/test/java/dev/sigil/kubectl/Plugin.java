package dev.sigil.kubectl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/** Runs {@code kubectl sigil} in process, as main would, at a fixed time, with its output captured. */
final class Plugin {
    static final Instant NOW = Instant.parse("2030-05-01T12:00:00Z");

    record Run(int exitCode, String out, String err) {
    }

    private Plugin() {
    }

    static Run run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = KubectlSigil.commandLine(Clock.fixed(NOW, ZoneOffset.UTC));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }
}
