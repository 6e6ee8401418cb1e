package dev.sigil.signing;

import dev.sigil.signing.testing.Skeletons;

/** The example's light skeleton as the build's bpftool made it (classpath resource of sigil-example-counter). */
final class CounterSkeleton {
    static final String RESOURCE = Skeletons.COUNTER;

    private CounterSkeleton() {
    }

    static String text() {
        return Skeletons.text(RESOURCE);
    }

    static LightSkeleton parsed() {
        return Skeletons.parse(RESOURCE);
    }
}
