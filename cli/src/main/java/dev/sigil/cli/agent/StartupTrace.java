package dev.sigil.cli.agent;

import dev.sigil.agent.node.DeployStep;
import dev.sigil.agent.node.StepTimer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Where a cold start's time goes, for {@code bench/startup.sh}: with {@code SIGIL_STARTUP_TRACE} set, each phase of
 * {@code sigil agent run} up to the first program attached prints {@code startup-trace PHASE EPOCH_MICROS CPU_MILLIS}
 * on stderr as it ends (the wall clock, for the bench to subtract the process's fork time; the CPU time all the
 * process's threads have used so far, which a busy machine does not inflate). Otherwise it prints nothing and costs
 * nothing.
 */
public final class StartupTrace {
    private static final PrintStream OUT = System.getenv("SIGIL_STARTUP_TRACE") == null ? null : System.err;

    private StartupTrace() {
    }

    /** {@code phase} ended now. */
    public static void mark(String phase) {
        if (OUT != null) {
            Instant now = Instant.now();
            OUT.printf(Locale.ROOT, "startup-trace %s %d %d%n", phase, now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000,
                    processCpuMillis());
        }
    }

    /** User and system time of the whole process from /proc/self/stat (clock ticks of 10 ms), -1 where unreadable. */
    private static long processCpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name, which is in parentheses and may contain spaces: utime and stime are 12th and 13th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code timer}, each deploy step also marked as a phase (verification, load, attach, pin). */
    static StepTimer marking(StepTimer timer) {
        if (OUT == null) {
            return timer;
        }
        return (DeployStep step, Duration elapsed) -> {
            mark(step.name().toLowerCase(Locale.ROOT));
            timer.took(step, elapsed);
        };
    }
}
