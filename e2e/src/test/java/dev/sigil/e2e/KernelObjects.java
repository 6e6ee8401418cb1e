package dev.sigil.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What this machine's kernel holds, asked with bpftool: a test must not take an agent's word for it.
 */
final class KernelObjects {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KernelObjects() {
    }

    static boolean programLoaded(long id) {
        return bpftool("prog", "show", "id", Long.toString(id)) != null;
    }

    /** The u64 at key 0 of the first array map the program uses: the counter's count. */
    static long counterValue(long programId) {
        JsonNode program = bpftool("prog", "show", "id", Long.toString(programId));
        if (program == null) {
            throw new AssertionError("program " + programId + " is not loaded");
        }
        for (JsonNode mapId : program.path("map_ids")) {
            JsonNode map = bpftool("map", "show", "id", mapId.asText());
            if (map != null && "array".equals(map.path("type").asText()) && map.path("name").asText().startsWith("counts")) {
                JsonNode entry = bpftool("map", "lookup", "id", mapId.asText(), "key", "0", "0", "0", "0");
                if (entry == null) {
                    throw new AssertionError("map " + mapId + " of program " + programId + " has no key 0");
                }
                return u64(entry);
            }
        }
        throw new AssertionError("program " + programId + " uses no 'counts' map: " + program);
    }

    /** A map entry's value: bpftool's BTF-formatted number, else its little-endian hex bytes. */
    private static long u64(JsonNode entry) {
        JsonNode formatted = entry.path("formatted").path("value");
        if (formatted.isNumber()) {
            return formatted.asLong();
        }
        JsonNode bytes = entry.path("value");
        long value = 0;
        for (int i = bytes.size() - 1; i >= 0; i--) {
            value = (value << 8) | Long.decode(bytes.get(i).asText());
        }
        return value;
    }

    /** The resources pinned under an agent's pin root (one directory each). */
    static List<String> pinnedResources(Path pinRoot) {
        if (!Files.isDirectory(pinRoot)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(pinRoot)) {
            return entries.filter(Files::isDirectory).map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** bpftool's JSON answer, or null when it says the object does not exist. */
    private static JsonNode bpftool(String... args) {
        Process process;
        try {
            process = new ProcessBuilder(Stream.concat(Stream.of("bpftool", "--json"), Stream.of(args)).toList())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("bpftool " + String.join(" ", args) + " did not finish");
            }
            return process.exitValue() == 0 ? JSON.readTree(out) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run bpftool (Debian package bpftool)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
