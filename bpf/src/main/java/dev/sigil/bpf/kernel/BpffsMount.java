package dev.sigil.bpf.kernel;

/** Whether the kernel probe may mount a bpffs where the pin root has none. */
public enum BpffsMount {
    /** Never: for what only looks at the pins there are (listing, unloading), and so changes nothing. */
    Never,
    /** On a directory that is absent or empty, so the mount hides nothing. */
    IfEmpty,
    /** On any directory, asked for explicitly: the mount hides what the directory holds until it is unmounted. */
    Always
}
