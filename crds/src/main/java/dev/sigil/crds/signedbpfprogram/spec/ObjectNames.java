package dev.sigil.crds.signedbpfprogram.spec;

/**
 * The one rule for the names a SignedBpfProgram gives its programs and maps. They are the kernel's object names:
 * {@code BPF_OBJ_NAME_LEN} is 16 bytes with the terminating NUL, so at most 15 characters, of
 * {@code [A-Za-z0-9_.]} ({@code bpf_obj_name_cpy}). A longer name is refused rather than compared by its first 15
 * characters: the kernel keeps no more, so the name a resource gives is exactly the name the kernel reports. The
 * names also become bpffs pin names ({@code link_PROGRAM}, {@code map_MAP}), where a dot is refused: programs (C
 * functions) have none, and a map's dots, allowed one at a time between other characters, become '-' in its pin.
 * No name can hold '/', ".." or NUL.
 *
 * <p>The schema carries these patterns and sizes on the spec's and the signed intent's name fields; the resource
 * reader (module api-support) applies the same annotations when it reads a file, and the agent the same reader rules
 * to what it gets from the API server; the kernel library checks every pin path it builds stays under its root.
 */
public final class ObjectNames {
    /** Longest kernel object name: {@code BPF_OBJ_NAME_LEN} (16) less the terminating NUL. */
    public static final int MAX_LENGTH = 15;
    /** A program: a C identifier of at most 15 characters, as the skeleton and the kernel name it. */
    public static final String PROGRAM_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,14}$";
    /** A map: letters, digits and '_', with single dots between them or in front ({@code .data}); 15 characters at most. */
    public static final String MAP_PATTERN = "^[A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$";

    private ObjectNames() {
    }
}
