package dev.sigil.crds.signedbpfprogram.spec;

/** How the signed loader ties itself to its metadata. New kernels bring new protocols; old resources keep theirs. */
public enum Protocol {
    /** Linux 6.18: the loader's prologue compares the exclusive metadata map's SHA-256 with an embedded hash. */
    LoaderHashV1,
    /** Reserved for kernels that check the metadata hash in BPF_PROG_LOAD itself. */
    KernelMetadataV2
}
