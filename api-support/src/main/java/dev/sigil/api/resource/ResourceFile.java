package dev.sigil.api.resource;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.nio.file.Path;
import java.util.Objects;

/** What became of one resource file: the resource it holds, or why it holds none. */
public sealed interface ResourceFile {
    Path file();

    record Read(Path file, SignedBpfProgram resource) implements ResourceFile {
        public Read {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(resource, "resource");
        }
    }

    /** {@code message}: one line, starting with the file. */
    record Refused(Path file, String message) implements ResourceFile {
        public Refused {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(message, "message");
        }
    }
}
