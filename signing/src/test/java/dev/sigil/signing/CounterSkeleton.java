package dev.sigil.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The example's light skeleton as the build's bpftool made it (classpath resource of sigil-example-counter). */
final class CounterSkeleton {
    static final String RESOURCE = "examples/counter/counter.lskel.h";

    private CounterSkeleton() {
    }

    static String text() {
        try (InputStream in = CounterSkeleton.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath; build examples/counter first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LightSkeleton parsed() {
        try {
            return LightSkeleton.parse(text(), RESOURCE);
        } catch (SkeletonFormatException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
