package dev.sigil.bpf.pin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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

    /** The resource's directory as it is on disk: a real directory directly under the root, or absent. */
    void requireInside(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(directory + " is not a directory" + (Files.isSymbolicLink(directory)
                    ? " but a symbolic link to " + Files.readSymbolicLink(directory) : "") + "; Sigil pins only into"
                    + " directories of its own under " + root);
        }
        Path real = directory.toRealPath();
        if (!real.getParent().equals(root.toRealPath())) {
            throw new IOException(directory + " resolves to " + real + ", outside the pin root " + root);
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
