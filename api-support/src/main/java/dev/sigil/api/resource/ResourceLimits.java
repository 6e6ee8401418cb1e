package dev.sigil.api.resource;

/**
 * What the resource reader reads at most, each checked before the work it bounds. The largest SignedBpfProgram the
 * schema admits is about 1.4 MB as JSON (etcd takes 1.5 MiB in one request); its YAML is no bigger.
 */
public final class ResourceLimits {
    /** Bytes of one resource file, checked before it is read: twice the largest object etcd stores. */
    public static final int MAX_DOCUMENT_BYTES = 3 << 20;
    /**
     * Nested lists and maps. The deepest a SignedBpfProgram goes is 8 (spec, intent, programs, a program, attach, xdp,
     * interface, glob); {@code kubectl get -o yaml} adds managedFields, which go a few levels deeper.
     */
    public static final int MAX_NESTING_DEPTH = 32;
    /** YAML aliases of lists and maps: none, so no alias can expand ("billion laughs"); aliases of scalars are cheap. */
    public static final int MAX_COLLECTION_ALIASES = 0;

    private ResourceLimits() {
    }
}
