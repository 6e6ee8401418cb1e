package dev.sigil.bpf.pin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import dev.sigil.bpf.attach.AttachTarget;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every path the pin directory uses, built from names checked to be one bpffs entry each, and checked to stay under
 * the pin root: a resource's directory is {@code ROOT/NAME} and its entries {@code ROOT/NAME/ENTRY}, never anything
 * else, whatever the names say. A name that would give any other path (a '/', "..", a NUL, a dot, which bpffs
 * refuses, or more than a file name holds) is refused before it is used; a resource directory that is a symbolic
 * link, or resolves anywhere but directly under the root, is refused before anything is pinned in it or removed
 * from it.
 */
final class PinPaths {
    static final String PROGRAM_RECORD_PREFIX = "meta_";
    static final String LINK_RECORD_PREFIX = "target_";
    private static final String LINK_PREFIX = "link_";
    /** Between a program's name and a link's key; programs are named by the kernel's rules, which have no '-'. */
    static final char KEY_SEPARATOR = '-';
    private static final String MAP_PREFIX = "map_";
    private static final String RESOURCE_RECORD = "meta";
    /** Prefix of a name being written; no program, map or record name starts with a hyphen. */
    private static final String PENDING = "-pending-";
    /** Kubernetes object names; the dots become '_' (which they never contain), as bpffs refuses dots. */
    private static final Pattern RESOURCE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** {@code NAME_MAX}: bytes in one directory entry's name. */
    private static final int MAX_ENTRY_BYTES = 255;

    private final Path root;

    PinPaths(Path root) {
        this.root = root.normalize();
    }

    Path root() {
        return root;
    }

    static boolean isResourceName(String resource) {
        return RESOURCE_NAME.matcher(resource).matches() && !resource.contains("..");
    }

    /** {@code ROOT/NAME}; refuses names that are not Kubernetes object names (no "..", no '/'). */
    Path directory(String resource) {
        if (!isResourceName(resource)) {
            throw new IllegalArgumentException("not a valid resource name for a pin directory: '" + resource + "'");
        }
        return contained(root, resource.replace('.', '_'));
    }

    /**
     * {@code ROOT/NAME/ENTRY}: {@code entry} is what the pin is called, made of a prefix and the program's or map's
     * {@code name} (in which a map's dots are already dashes).
     */
    Path entry(String resource, String kind, String name, String entry) {
        if (name.isEmpty() || entry.indexOf('/') >= 0 || entry.indexOf('\0') >= 0 || entry.indexOf('.') >= 0
                || entry.getBytes(StandardCharsets.UTF_8).length > MAX_ENTRY_BYTES) {
            throw new IllegalArgumentException(kind + " name '" + name.replace("\0", "\\0") + "' of " + resource
                    + " cannot name a pin: a pin is one bpffs entry, without '/', '.' or NUL, of at most "
                    + MAX_ENTRY_BYTES + " bytes");
        }
        return contained(directory(resource), entry);
    }

    /** Where records before version 3 pinned a program's one link; still removed with the resource. */
    Path legacyLinkPin(String resource, String program) {
        return entry(resource, "program", program, LINK_PREFIX + program);
    }

    Path linkPin(String resource, String program, AttachTarget target) {
        return linkPin(resource, program, LinkKeys.of(target));
    }

    /** {@code key}: see {@link LinkKeys}; as a record names it, so it is checked like any other name. */
    Path linkPin(String resource, String program, String key) {
        return entry(resource, "program", program, LINK_PREFIX + program + KEY_SEPARATOR + key);
    }

    Path linkRecord(String resource, String program, String key) {
        return entry(resource, "program", program, LINK_RECORD_PREFIX + program + KEY_SEPARATOR + key);
    }

    /**
     * Each target's link pin, in the targets' order.
     *
     * @throws IllegalArgumentException when two targets would share one pin (the same target twice, or keys that collide)
     */
    Map<AttachTarget, Path> linkPins(String resource, String program, List<AttachTarget> targets) {
        Map<AttachTarget, Path> pins = new LinkedHashMap<>();
        Set<Path> seen = new HashSet<>();
        for (AttachTarget target : targets) {
            Path pin = linkPin(resource, program, target);
            if (!seen.add(pin)) {
                throw new IllegalArgumentException("program " + program + " of " + resource + " has two targets with"
                        + " the link pin " + pin.getFileName() + " (" + target.describe() + " is one)");
            }
            pins.put(target, pin);
        }
        return pins;
    }

    /** A map's dots become '-', as bpffs refuses dots. */
    Path mapPin(String resource, String map) {
        return entry(resource, "map", map, MAP_PREFIX + map.replace('.', '-'));
    }

    Path programRecord(String resource, String program) {
        return entry(resource, "program", program, PROGRAM_RECORD_PREFIX + program);
    }

    /** A program's or link's record by its name, as a resource's record lists it. */
    Path record(String resource, String record) {
        return entry(resource, "record", record, record);
    }

    Path resourceRecord(Path directory) {
        return directory.resolve(RESOURCE_RECORD);
    }

    /** Where a replacement of {@code path} is written before it is renamed over it. */
    static Path pending(Path path) {
        return path.resolveSibling(PENDING + path.getFileName());
    }

    /** See {@link PinDirectory#requirePinnable}. */
    void requirePinnable(String resource, List<String> programs, List<String> pinnedMaps) {
        Set<Path> entries = new HashSet<>();
        for (String program : programs) {
            if (program.indexOf(KEY_SEPARATOR) >= 0) {
                throw new IllegalArgumentException("program name '" + program + "' of " + resource + " has a '"
                        + KEY_SEPARATOR + "', which no BPF program name has");
            }
            programRecord(resource, program);
            if (!entries.add(legacyLinkPin(resource, program))) {
                throw new IllegalArgumentException("program name '" + program + "' of " + resource + " is given twice");
            }
        }
        for (String map : pinnedMaps) {
            if (!entries.add(mapPin(resource, map))) {
                throw new IllegalArgumentException("pinned map name '" + map + "' of " + resource
                        + " is given twice (or names the same pin as another: a map's dots become '-')");
            }
        }
    }

    /**
     * The resource's directory as it is on disk: a real directory directly under the root, or absent. True when it
     * is there. One lstat when it is: a directory entry of the root that is not a symbolic link resolves to an entry
     * of the root's own real path, so resolving it again (a readlink per component, twice) would tell nothing more.
     */
    boolean requireInside(Path directory) throws IOException {
        requireEntryOfRoot(directory);
        if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        throw new IOException(directory + " is not a directory" + (Files.isSymbolicLink(directory)
                ? " but a symbolic link to " + Files.readSymbolicLink(directory) : "") + "; Sigil pins only into"
                + " directories of its own under " + root);
    }

    /** {@code directory} names an entry of the root itself, whatever is on disk. */
    void requireEntryOfRoot(Path directory) throws IOException {
        if (!directory.equals(directory.normalize()) || !root.equals(directory.getParent())) {
            throw new IOException(directory + " is not an entry of the pin root " + root);
        }
    }

    /** {@code base/name}, which must be a direct child of {@code base} (the names above make it one). */
    private static Path contained(Path base, String name) {
        Path path = base.resolve(name).normalize();
        if (!base.equals(path.getParent())) {
            throw new IllegalArgumentException("'" + name + "' would leave " + base);
        }
        return path;
    }
}
