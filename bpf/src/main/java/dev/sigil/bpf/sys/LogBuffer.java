package dev.sigil.bpf.sys;

/** A buffer the kernel writes a verifier log into; {@link #text()} reads it up to the first NUL. */
public interface LogBuffer extends AutoCloseable {
    long address();

    int size();

    String text();

    @Override
    void close();
}
