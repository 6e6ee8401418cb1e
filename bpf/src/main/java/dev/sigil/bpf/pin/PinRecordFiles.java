package dev.sigil.bpf.pin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A resource's records as symlinks in its directory ({@link PinRecords} says what they hold): written link records
 * first, then program records, the resource's record last, each written whole ({@link PinEntries}), so a reader
 * finds either the old or the new record of the resource and every record it lists.
 */
final class PinRecordFiles {
    private final PinPaths paths;

    PinRecordFiles(PinPaths paths) {
        this.paths = paths;
    }

    /** {@code newDirectory}: nothing of an earlier record can be in it, so no stale record is looked for. */
    void write(PinnedResource resource, boolean newDirectory) throws IOException {
        Path directory = paths.directory(resource.name());
        Set<Path> current = new HashSet<>();
        for (PinnedProgram program : resource.programs()) {
            for (PinnedLink link : program.links()) {
                Path record = paths.linkRecord(resource.name(), program.name(), LinkKeys.of(link.target()));
                PinEntries.writeSymlink(record, PinRecords.link(link), newDirectory);
                current.add(record);
            }
            Path record = paths.programRecord(resource.name(), program.name());
            PinEntries.writeSymlink(record, PinRecords.program(program), newDirectory);
            current.add(record);
        }
        PinEntries.writeSymlink(paths.resourceRecord(directory), PinRecords.resource(resource), newDirectory);
        if (!newDirectory) {
            removeStale(directory, current);
        }
    }

    /** True when the record and every link pin and link record it names are present. */
    boolean complete(PinnedResource resource) {
        String name = resource.name();
        return Files.isSymbolicLink(paths.resourceRecord(paths.directory(name)))
                && resource.programs().stream().allMatch(program ->
                        Files.isSymbolicLink(paths.programRecord(name, program.name()))
                                && program.links().stream().allMatch(link -> {
                                    String key = LinkKeys.of(link.target());
                                    return Files.isSymbolicLink(paths.linkRecord(name, program.name(), key))
                                            && Files.exists(paths.linkPin(name, program.name(), key));
                                }))
                && resource.pinnedMaps().stream().allMatch(map -> Files.exists(paths.mapPin(name, map)));
    }

    Optional<PinRecords.Stored> read(String resource) throws IOException {
        Path directory = paths.directory(resource);
        Path meta = paths.resourceRecord(directory);
        if (!Files.isSymbolicLink(meta)) {
            return Optional.empty();
        }
        paths.requireInside(directory);
        PinRecords.Stored stored = PinRecords.read(resource, Files.readSymbolicLink(meta).toString(),
                record -> Files.readSymbolicLink(recordedEntry(() -> paths.record(resource, record))).toString());
        for (PinnedProgram program : stored.resource().programs()) {
            recordedEntry(() -> paths.legacyLinkPin(resource, program.name()));
        }
        for (String map : stored.resource().pinnedMaps()) {
            recordedEntry(() -> paths.mapPin(resource, map));
        }
        return Optional.of(stored);
    }

    /** A path a record names, which must be one of the resource's own entries like any other. */
    private static Path recordedEntry(Supplier<Path> path) throws IOException {
        try {
            return path.get();
        } catch (IllegalArgumentException e) {
            throw new IOException("the pin record names a pin Sigil would never make: " + e.getMessage(), e);
        }
    }

    /** Program and link records the resource's record no longer lists. */
    private static void removeStale(Path directory, Set<Path> current) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                String file = entry.getFileName().toString();
                boolean record = file.startsWith(PinPaths.PROGRAM_RECORD_PREFIX)
                        || file.startsWith(PinPaths.LINK_RECORD_PREFIX);
                if (record && !current.contains(entry)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }
}
