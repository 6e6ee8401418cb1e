package dev.sigil.bpf.pin;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.sys.SyscallException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The bpffs layout under the pin root, one directory per resource:
 * <pre>
 *   ROOT/NAME/link_PROGRAM   pinned link (keeps the program attached without the agent)
 *   ROOT/NAME/map_MAP        pinned map, when the resource asks for it
 *   ROOT/NAME/meta           symlink whose target records generation, loader hash, enforcement, map ids
 *   ROOT/NAME/meta_PROGRAM   symlink whose target records program id, tag, link id and attach target
 * </pre>
 * bpffs holds only BPF objects, directories and symlinks, so the records are symlink targets, in the
 * library's own versioned format ({@link PinRecords}; records of earlier agents are read too). It also refuses names containing '.', so a resource's dots become '_' (which
 * Kubernetes names never contain) and a map's become '-' (which map names never contain). Every
 * replacement is written beside its target and renamed over it, so a reader never sees a half-written
 * state and a link pin is never absent while it is being replaced.
 */
public final class PinDirectory {
    private static final String LINK_PREFIX = "link_";
    private static final String MAP_PREFIX = "map_";
    private static final String META = "meta";
    private static final String PROGRAM_META_PREFIX = "meta_";
    /** Prefix of a name being written; no program, map or record name starts with a hyphen. */
    private static final String PENDING = "-pending-";
    private static final int MAX_RECORD = 4000;
    private static final Pattern RESOURCE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private final SyscallBridge bridge;
    private final Path root;

    public PinDirectory(SyscallBridge bridge, Path root) {
        this.bridge = bridge;
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The resource's directory; refuses names that are not Kubernetes object names (no "..", no "/"). */
    public Path directory(String resource) {
        if (!RESOURCE_NAME.matcher(resource).matches() || resource.contains("..")) {
            throw new IllegalArgumentException("not a valid resource name for a pin directory: '" + resource + "'");
        }
        return root.resolve(resource.replace('.', '_'));
    }

    public Path linkPin(String resource, String program) {
        return directory(resource).resolve(LINK_PREFIX + program);
    }

    public Path mapPin(String resource, String map) {
        return directory(resource).resolve(MAP_PREFIX + map.replace('.', '-'));
    }

    /**
     * Creates the resource's directory unless it exists. True when this call created it, so it holds no
     * pins or records yet.
     */
    public boolean createDirectory(String resource) throws BpfFailure {
        Path directory = directory(resource);
        try {
            return ensureDirectory(directory);
        } catch (IOException e) {
            throw new BpfFailure(FailureReason.PinFailed, "creating the pin directory " + directory + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Pins {@code object} at {@code path}, atomically replacing whatever was pinned there. */
    public void pin(Fd object, Path path) throws BpfFailure {
        Path pending = path.resolveSibling(PENDING + path.getFileName());
        try {
            pinAt(object, pending);
            Files.move(pending, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | SyscallException e) {
            deleteQuietly(pending);
            throw new BpfFailure(FailureReason.PinFailed, "pinning " + object + " at " + path + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * One BPF_OBJ_PIN in the usual case, where the directory exists and no earlier attempt left the pending
     * name behind; otherwise the kernel says which (ENOENT, EEXIST), that is put right, and it pins again.
     */
    private void pinAt(Fd object, Path pending) throws IOException {
        try {
            bridge.objPin(object, pending);
        } catch (SyscallException e) {
            if (e.is(Errno.EEXIST)) {
                Files.deleteIfExists(pending);
            } else if (e.is(Errno.ENOENT)) {
                ensureDirectory(pending.getParent());
            } else {
                throw e;
            }
            bridge.objPin(object, pending);
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
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).map(path -> path.getFileName().toString().replace('_', '.'))
                    .filter(name -> RESOURCE_NAME.matcher(name).matches()).sorted().toList();
        }
    }

    /**
     * Removes the resource's directory and everything in it (which unpins its links and maps). An entry that
     * cannot go (a non-empty directory someone else made) does not stop the others; it is named afterwards.
     */
    public void remove(String resource) throws IOException {
        Path directory = directory(resource);
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<String> left = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                try {
                    Files.deleteIfExists(entry);
                } catch (IOException e) {
                    left.add(entry.getFileName() + " (" + e + ")");
                }
            }
        }
        if (!left.isEmpty()) {
            throw new IOException(directory + " could not be removed; left behind: " + String.join(", ", left));
        }
        Files.deleteIfExists(directory);
    }

    /**
     * Writes the resource's record. {@code newDirectory}: the directory was created for these pins (see
     * {@link #createDirectory}), so no record of a program the resource no longer has can be in it.
     */
    public void writeRecord(PinnedResource resource, boolean newDirectory) throws BpfFailure {
        Path directory = directory(resource.name());
        try {
            ensureDirectory(directory);
            for (PinnedProgram program : resource.programs()) {
                writeSymlink(directory.resolve(PROGRAM_META_PREFIX + program.name()), PinRecords.program(program));
            }
            writeSymlink(directory.resolve(META), PinRecords.resource(resource));
            if (!newDirectory) {
                removeStaleProgramRecords(directory, resource);
            }
        } catch (IOException e) {
            throw new BpfFailure(FailureReason.PinFailed, "writing the pin record of " + resource.name() + " in "
                    + directory + " failed: " + e.getMessage(), e);
        }
    }

    /** True when the record and every link pin it names are present. */
    public boolean complete(PinnedResource resource) {
        Path directory = directory(resource.name());
        return Files.isSymbolicLink(directory.resolve(META))
                && resource.programs().stream().allMatch(program ->
                        Files.isSymbolicLink(directory.resolve(PROGRAM_META_PREFIX + program.name()))
                                && Files.exists(linkPin(resource.name(), program.name())))
                && resource.pinnedMaps().stream().allMatch(map -> Files.exists(mapPin(resource.name(), map)));
    }

    /** The resource's record, whichever format version wrote it; empty when it has none. */
    public Optional<PinnedResource> readRecord(String resource) throws IOException {
        Path directory = directory(resource);
        Path meta = directory.resolve(META);
        if (!Files.isSymbolicLink(meta)) {
            return Optional.empty();
        }
        return Optional.of(PinRecords.read(resource, Files.readSymbolicLink(meta).toString(),
                program -> Files.readSymbolicLink(directory.resolve(PROGRAM_META_PREFIX + program)).toString()));
    }

    private void removeStaleProgramRecords(Path directory, PinnedResource resource) throws IOException {
        List<String> current = resource.programs().stream().map(PinnedProgram::name).toList();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                String file = entry.getFileName().toString();
                if (file.startsWith(PROGRAM_META_PREFIX) && !current.contains(file.substring(PROGRAM_META_PREFIX.length()))) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    /**
     * One stat when the directory is there, which is the usual case; {@code Files.createDirectories} alone
     * would attempt the mkdir and throw and catch an exception each time. True when it created the directory.
     */
    private static boolean ensureDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return false;
        }
        Files.createDirectories(directory);
        return true;
    }

    private static void writeSymlink(Path path, String target) throws IOException {
        if (target.length() > MAX_RECORD) {
            throw new IOException("record for " + path.getFileName() + " is " + target.length()
                    + " characters, more than a symlink holds (" + MAX_RECORD + ")");
        }
        Path pending = path.resolveSibling(PENDING + path.getFileName());
        try {
            Files.createSymbolicLink(pending, Path.of(target));
        } catch (FileAlreadyExistsException leftBehind) {
            Files.delete(pending);
            Files.createSymbolicLink(pending, Path.of(target));
        }
        Files.move(pending, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Best effort: the pending name is rewritten on the next attempt anyway.
        }
    }
}
