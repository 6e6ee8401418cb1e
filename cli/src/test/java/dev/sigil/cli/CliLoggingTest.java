package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLogger;

/** The CLI's logging as {@code simplelogger.properties} sets it: warnings and errors, on stderr only. */
class CliLoggingTest {
    @Test
    void logsThroughTheSimpleLogger() {
        assertThat(LoggerFactory.getLogger(CliLoggingTest.class)).isInstanceOf(SimpleLogger.class);
    }

    @Test
    void sendsWarningsAndErrorsOnlyToStandardError() {
        Logger logger = LoggerFactory.getLogger("dev.sigil.bpf.CliLoggingTest");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        PrintStream systemOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            logger.info("attached, said at INFO");
            logger.warn("repaired, said at WARN");
        } finally {
            System.setErr(systemErr);
            System.setOut(systemOut);
        }

        assertThat(logger.isInfoEnabled()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN dev\\.sigil\\.bpf\\.CliLoggingTest - repaired, said at WARN\\R");
    }
}
