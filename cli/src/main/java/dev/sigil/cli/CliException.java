package dev.sigil.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** A failure the user caused or can fix: printed as one line, no stack trace, with its exit code. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final int FAILURE = 1;
    static final int USAGE = 2;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** An input file that cannot be read: a usage error, described in one line. */
    static CliException unreadable(IOException e) {
        return new CliException(USAGE, describe(e), e);
    }

    static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException missing -> missing.getFile() + ": no such file or directory";
            case AccessDeniedException denied -> denied.getFile() + ": permission denied";
            case FileAlreadyExistsException exists -> exists.getFile() + ": " + exists.getReason();
            default -> e.getMessage();
        };
    }

    int exitCode() {
        return exitCode;
    }
}
