package dev.sigil.bpf.sys;

/** What BPF_PROG_LOAD needs for in-kernel signature checking: a PKCS#7 signature and a keyring serial. */
public record ProgramSignature(byte[] signature, int keyringId) {
}
