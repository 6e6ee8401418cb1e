package dev.sigil.bpf.pin;

import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.sys.SyscallException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the entries of a resource's directory whole, so a reader never sees a half-written one and a pin is never
 * absent while it is replaced: a pin or record is made beside its name and renamed over it, except in a directory
 * created for it ({@code newDirectory}), where nothing has its name yet: there it is made in place, as one pin or
 * one symlink appears whole, without the rename. Should something be there after all, it is replaced as ever.
 */
final class PinEntries {
    /** Longest record a symlink target holds on bpffs. */
    static final int MAX_RECORD = 4000;

    private final SyscallBridge bridge;
    private final PinPaths paths;

    PinEntries(SyscallBridge bridge, PinPaths paths) {
        this.bridge = bridge;
        this.paths = paths;
    }

    /**
     * The resource's directory, checked to be a real one directly under the root ({@link PinPaths#requireInside}),
     * created when absent: an access(2) and an lstat when it is there; when nothing is, the mkdir comes straight after
     * the access (mkdir makes nothing where any entry, a dangling symbolic link included, has the name), and the root
     * is created too when that is missing. True when this call created it. The access comes first because the JDK
     * tells an absent name by it without an exception, where its lstat throws one inside (a stack trace per apply).
     */
    boolean ensureDirectory(Path directory) throws IOException {
        paths.requireEntryOfRoot(directory);
        if (Files.exists(directory) && Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Files.createDirectory(directory);
        } catch (NoSuchFileException noRoot) {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException notADirectoryOrCreatedMeanwhile) {
            if (paths.requireInside(directory)) {
                return false;
            }
            Files.createDirectory(directory);
        }
        return true;
    }

    /** Pins {@code object} at {@code path}; a pending name left behind is removed on failure. */
    void pin(Fd object, Path path, boolean newDirectory) throws IOException {
        Path pending = PinPaths.pending(path);
        try {
            paths.requireInside(path.getParent());
            if (newDirectory && pinnedInPlace(object, path)) {
                return;
            }
            pinAt(object, pending);
            Files.move(pending, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | SyscallException e) {
            deleteQuietly(pending);
            throw e;
        }
    }

    /**
     * False when something is already at {@code path} (EEXIST) or the directory went meanwhile (ENOENT): the
     * caller then pins as into any directory, which puts either right.
     */
    private boolean pinnedInPlace(Fd object, Path path) {
        try {
            bridge.objPin(object, path);
            return true;
        } catch (SyscallException e) {
            if (e.is(Errno.EEXIST) || e.is(Errno.ENOENT)) {
                return false;
            }
            throw e;
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

    /** A record: a symlink whose target is the record's text. */
    static void writeSymlink(Path path, String target, boolean newDirectory) throws IOException {
        if (target.length() > MAX_RECORD) {
            throw new IOException("record for " + path.getFileName() + " is " + target.length()
                    + " characters, more than a symlink holds (" + MAX_RECORD + ")");
        }
        if (newDirectory) {
            try {
                Files.createSymbolicLink(path, Path.of(target));
                return;
            } catch (FileAlreadyExistsException replaced) {
                // Something is there after all: replaced below, as in a directory that held records.
            }
        }
        Path pending = PinPaths.pending(path);
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
