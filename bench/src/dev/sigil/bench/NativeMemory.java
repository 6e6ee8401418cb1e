package dev.sigil.bench;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The JVM's native memory tracking, asked in-process ({@code jcmd PID VM.native_memory} through the
 * DiagnosticCommand MBean): a baseline, then what changed since, by category (heap, class, code, GC, arena,
 * malloc...). Only in a JVM started with {@code -XX:NativeMemoryTracking=summary}.
 */
final class NativeMemory {
    private NativeMemory() {
    }

    static boolean tracking() {
        return !command("summary").contains("not enabled");
    }

    static void baseline() {
        command("baseline");
    }

    /** Categories that changed since the baseline, in KiB (NMT's own report). */
    static String summaryDiff() {
        return command("summary.diff", "scale=KB");
    }

    private static String command(String... arguments) {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {arguments}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("VM.native_memory " + String.join(" ", arguments) + ": " + e.getMessage(), e);
        }
    }
}
