package dev.sigil.bpf.sys;

/** BPF_PROG_RUN's outcome: the program's return value (signed) and its context as the program left it. */
public record ProgRunResult(int returnValue, byte[] context) {
}
