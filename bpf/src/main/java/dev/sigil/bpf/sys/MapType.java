package dev.sigil.bpf.sys;

/** The {@code enum bpf_map_type} values the agent creates itself (the loader creates the program's own maps). */
public enum MapType {
    ARRAY(2);

    private final int code;

    MapType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
