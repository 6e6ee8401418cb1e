package dev.sigil.bpf.pin;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The bpffs layout under the pin root, one directory per resource:
 * <pre>
 *   ROOT/NAME/link_PROGRAM-KEY    pinned link, one per target of the program (keeps it attached without the agent)
 *   ROOT/NAME/map_MAP             pinned map, when the resource asks for it
 *   ROOT/NAME/meta                symlink whose target records generation, loader hash, enforcement, map ids
 *   ROOT/NAME/meta_PROGRAM        symlink whose target records program id, tag and the keys of its links
 *   ROOT/NAME/target_PROGRAM-KEY  symlink whose target records a link's id and attach target
 * </pre>
 * A link's {@code KEY} is a readable label and a short hash of its target ({@link LinkKeys}).
 * bpffs holds only BPF objects, directories and symlinks, so the records are symlink targets, in the library's own
 * versioned format ({@link PinRecords}; records of earlier agents are read too). It refuses names containing '.', so a
 * resource's dots become '_' (which Kubernetes names never contain) and a map's '-'. Every path is one entry of the
 * resource's own directory under the root ({@link PinPaths}). Every replacement is written beside its target and
 * renamed over it, so a reader never sees a half-written state and a link pin is never absent while it is replaced;
 * into a directory just created, where there is nothing to replace, each is made in place ({@link PinEntries}).
 */
public final class PinDirectory {
    private final SyscallBridge bridge;
    private final PinPaths paths;
    private final PinEntries writer;
    private final PinRecordFiles records;

    public PinDirectory(SyscallBridge bridge, Path root) {
        this.bridge = bridge;
        this.paths = new PinPaths(root);
        this.writer = new PinEntries(bridge, paths);
        this.records = new PinRecordFiles(paths);
    }

    public Path root() {
        return paths.root();
    }

    /** The resource's directory; refuses names that are not Kubernetes object names (no "..", no "/"). */
    public Path directory(String resource) {
        return paths.directory(resource);
    }

    /** @throws IllegalArgumentException when the program's name cannot name a pin in the resource's directory */
    public Path linkPin(String resource, String program, AttachTarget target) {
        return paths.linkPin(resource, program, target);
    }

    /**
     * Each target's link pin, checked before anything is attached to it: one entry of the resource's directory each,
     * no two the same.
     *
     * @throws IllegalArgumentException naming the program whose targets cannot be pinned
     */
    public Map<AttachTarget, Path> linkPins(String resource, String program, List<AttachTarget> targets) {
        return paths.linkPins(resource, program, targets);
    }

    /** @throws IllegalArgumentException when the map's name cannot name a pin in the resource's directory */
    public Path mapPin(String resource, String map) {
        return paths.mapPin(resource, map);
    }

    /**
     * Checks, before anything is loaded, that every pin and record the resource will have is an entry of its own
     * directory under the root, no two the same.
     *
     * @throws IllegalArgumentException naming the first name that cannot be pinned, or a name given twice
     */
    public void requirePinnable(String resource, List<String> programs, List<String> pinnedMaps) {
        paths.requirePinnable(resource, programs, pinnedMaps);
    }

    /**
     * Creates the resource's directory unless it exists. True when this call created it, so it holds no
     * pins or records yet.
     */
    public boolean createDirectory(String resource) throws BpfFailure {
        Path directory = directory(resource);
        try {
            return writer.ensureDirectory(directory);
        } catch (IOException e) {
            throw new BpfFailure(FailureReason.PinFailed, "creating the pin directory " + directory + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Pins {@code object} at {@code path}, atomically replacing whatever was pinned there. */
    public void pin(Fd object, Path path) throws BpfFailure {
        pin(object, path, false);
    }

    /**
     * As {@link #pin(Fd, Path)}. {@code newDirectory}: the directory was created for these pins (see
     * {@link #createDirectory}), so nothing is pinned at {@code path} yet: pinned in place, one BPF_OBJ_PIN and no
     * rename ({@link PinEntries}).
     */
    public void pin(Fd object, Path path, boolean newDirectory) throws BpfFailure {
        try {
            writer.pin(object, path, newDirectory);
        } catch (IOException | SyscallException e) {
            throw new BpfFailure(FailureReason.PinFailed, "pinning " + object + " at " + path + " failed: "
                    + e.getMessage(), e);
        }
    }

    public Fd open(Path pin) {
        return bridge.objGet(pin);
    }

    public void unpin(Path pin) throws IOException {
        Files.deleteIfExists(pin);
    }

    /** Resource directories under the root, by name. */
    public List<String> resources() throws IOException {
        if (!Files.isDirectory(root())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root())) {
            return entries.filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
                    .map(path -> path.getFileName().toString().replace('_', '.'))
                    .filter(PinPaths::isResourceName).sorted().toList();
        }
    }

    /**
     * Removes what the resource's record lists, and nothing else: the link pin and record of each program, each pinned
     * map, the resource's record, and half-written replacements of these; then the directory, if that left it empty.
     * Whatever else is in it (another tool's pins, files someone put there, a directory where a pin of the record
     * would be: Sigil never pins a directory) stays, and with it the directory.
     */
    public PinRemoval remove(PinnedResource record) throws IOException {
        Path directory = directory(record.name());
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return new PinRemoval(List.of(), List.of());
        }
        paths.requireInside(directory);
        List<Path> owned = new ArrayList<>();
        for (PinnedProgram program : record.programs()) {
            for (PinnedLink link : program.links()) {
                String key = LinkKeys.of(link.target());
                owned.add(paths.linkPin(record.name(), program.name(), key));
                owned.add(paths.linkRecord(record.name(), program.name(), key));
            }
            owned.add(paths.legacyLinkPin(record.name(), program.name()));
            owned.add(paths.programRecord(record.name(), program.name()));
        }
        record.pinnedMaps().forEach(map -> owned.add(mapPin(record.name(), map)));
        owned.add(paths.resourceRecord(directory));
        List<String> failures = new ArrayList<>();
        for (Path entry : owned) {
            for (Path path : List.of(entry, PinPaths.pending(entry))) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    failures.add(path.getFileName() + " (" + e + ")");
                }
            }
        }
        List<String> left = entries(record.name());
        if (left.isEmpty()) {
            Files.deleteIfExists(directory);
        }
        return new PinRemoval(left, failures);
    }

    /** The names in the resource's directory; empty when there is none. */
    public List<String> entries(String resource) throws IOException {
        Path directory = directory(resource);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Writes the resource's record. {@code newDirectory}: the directory was created for these pins (see
     * {@link #createDirectory}), so it is there, and no record of a program or link the resource no longer has can be
     * in it.
     */
    public void writeRecord(PinnedResource resource, boolean newDirectory) throws BpfFailure {
        Path directory = directory(resource.name());
        try {
            if (!newDirectory) {
                writer.ensureDirectory(directory);
            }
            records.write(resource, newDirectory);
        } catch (IOException e) {
            throw new BpfFailure(FailureReason.PinFailed, "writing the pin record of " + resource.name() + " in "
                    + directory + " failed: " + e.getMessage(), e);
        }
    }

    /** True when the record and every link pin it names are present. */
    public boolean complete(PinnedResource resource) {
        return records.complete(resource);
    }

    /**
     * The resource's record, whichever format version wrote it; empty when it has none. A directory in the layout of
     * versions 1 and 2 (each program's one link at {@code link_PROGRAM}) is moved to the current one first: each link
     * pinned again at its new name, the records rewritten, then the old link pins removed, so the links stay pinned
     * throughout and a move cut short is done again by the next read.
     */
    public Optional<PinnedResource> readRecord(String resource) throws IOException {
        Optional<PinRecords.Stored> stored = records.read(resource);
        if (stored.isPresent() && stored.get().oneLinkPerProgram()) {
            moveToCurrentLayout(stored.get().resource());
        }
        return stored.map(PinRecords.Stored::resource);
    }

    private void moveToCurrentLayout(PinnedResource record) throws IOException {
        String name = record.name();
        try {
            for (PinnedProgram program : record.programs()) {
                Path old = paths.legacyLinkPin(name, program.name());
                if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
                    try (Fd link = open(old)) {
                        pin(link, paths.linkPin(name, program.name(), program.links().getFirst().target()));
                    }
                }
            }
            records.write(record, false);
        } catch (BpfFailure | SyscallException e) {
            throw new IOException("moving the pins of " + name + " to the current layout failed: " + e.getMessage(), e);
        }
        for (PinnedProgram program : record.programs()) {
            Files.deleteIfExists(paths.legacyLinkPin(name, program.name()));
        }
    }
}
