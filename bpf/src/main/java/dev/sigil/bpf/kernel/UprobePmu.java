package dev.sigil.bpf.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's uprobe PMU, as perf_event_open(2) needs it: its dynamic type number
 * ({@code /sys/bus/event_source/devices/uprobe/type}) and which config bit makes a uprobe a uretprobe
 * ({@code format/retprobe}, {@code config:0} on every kernel so far, read rather than assumed).
 *
 * @param type          the PMU type for {@code perf_event_attr.type}
 * @param retprobeConfig the {@code perf_event_attr.config} of a uretprobe
 */
public record UprobePmu(int type, long retprobeConfig) {
    static final Path DEVICE = Path.of("/sys/bus/event_source/devices/uprobe");
    private static final Pattern CONFIG_BIT = Pattern.compile("config:(\\d+)");

    /** @throws IOException when this kernel has no uprobe PMU (CONFIG_UPROBE_EVENTS) or describes it otherwise */
    public static UprobePmu read() throws IOException {
        return read(DEVICE);
    }

    static UprobePmu read(Path device) throws IOException {
        Path typeFile = device.resolve("type");
        if (!Files.exists(typeFile)) {
            throw new IOException("this kernel has no uprobe PMU (" + typeFile + " is missing)");
        }
        String type = Files.readString(typeFile, StandardCharsets.US_ASCII).strip();
        String retprobe = Files.readString(device.resolve("format").resolve("retprobe"), StandardCharsets.US_ASCII).strip();
        Matcher bit = CONFIG_BIT.matcher(retprobe);
        if (!bit.matches() || Integer.parseInt(bit.group(1)) > 63) {
            throw new IOException(device + "/format/retprobe is '" + retprobe + "', not config:BIT");
        }
        try {
            return new UprobePmu(Integer.parseInt(type), 1L << Integer.parseInt(bit.group(1)));
        } catch (NumberFormatException e) {
            throw new IOException(typeFile + " is '" + type + "', not a PMU type", e);
        }
    }
}
