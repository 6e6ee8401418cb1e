package dev.sigil.signing.testing;

import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.SkeletonFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Light skeletons on the test class path, as the build's bpftool made them; every module's tests read them here. */
public final class Skeletons {
    /** The example counter (classpath resource of sigil-example-counter). */
    public static final String COUNTER = "examples/counter/counter.lskel.h";

    private Skeletons() {
    }

    public static String text(String resource) {
        try (InputStream in = Skeletons.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path (did the BPF build run?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LightSkeleton parse(String resource) {
        try {
            return LightSkeleton.parse(text(resource), resource);
        } catch (SkeletonFormatException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
