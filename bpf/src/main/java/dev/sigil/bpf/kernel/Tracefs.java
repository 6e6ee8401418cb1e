package dev.sigil.bpf.kernel;

import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.sys.SyscallException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracepoint ids, which perf_event_open(2) needs for a classic tracepoint: tracefs holds each in
 * {@code events/CATEGORY/NAME/id}. Where tracefs is mounted (usually {@code /sys/kernel/tracing}) the id is
 * read there; where it is not, tracefs is mounted for the one read on a private scratch directory and
 * unmounted again at once, so the node's own mount table is left as it was.
 */
public final class Tracefs {
    private static final Logger LOG = LoggerFactory.getLogger(Tracefs.class);
    /** Tracefs names categories and events with these characters only; anything else could leave events/. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");

    /** Said once per agent, at INFO: every later lookup does the same. */
    private static final AtomicBoolean SAID_SO = new AtomicBoolean();

    private final SyscallBridge bridge;
    private final Mounts mounts;

    public Tracefs(SyscallBridge bridge) {
        this(bridge, Mounts.system());
    }

    Tracefs(SyscallBridge bridge, Mounts mounts) {
        this.bridge = bridge;
        this.mounts = mounts;
    }

    /**
     * The id of tracepoint {@code category/name}, or empty when this kernel has no such tracepoint.
     *
     * @throws IOException when tracefs can be neither found nor mounted, or the id is not a number
     */
    public Optional<Long> tracepointId(String category, String name) throws IOException {
        requireName(category, "category");
        requireName(name, "name");
        Optional<Path> mounted = mounts.mountPointOf("tracefs");
        if (mounted.isPresent()) {
            return read(mounted.get(), category, name);
        }
        Path scratch = Files.createTempDirectory("sigil-tracefs-");
        try {
            bridge.mountTracefs(scratch);
            if (SAID_SO.compareAndSet(false, true)) {
                LOG.info("tracefs is not mounted: each tracepoint id is read from a tracefs mounted on a private scratch "
                        + "directory ({} now), which is unmounted and removed at once", scratch);
            }
            try {
                return read(scratch, category, name);
            } finally {
                bridge.unmount(scratch);
            }
        } catch (SyscallException e) {
            throw new IOException("tracefs is not mounted and mounting it failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    private static Optional<Long> read(Path tracefs, String category, String name) throws IOException {
        Path id = tracefs.resolve("events").resolve(category).resolve(name).resolve("id");
        String text;
        try {
            text = Files.readString(id, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException(id + " holds '" + text + "', not a tracepoint id", e);
        }
    }

    private static void requireName(String value, String what) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("tracepoint " + what + " '" + value + "' is not " + NAME.pattern());
        }
    }
}
