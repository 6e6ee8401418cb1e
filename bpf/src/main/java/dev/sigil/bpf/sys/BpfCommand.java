package dev.sigil.bpf.sys;

/** The {@code enum bpf_cmd} values the agent issues. */
public enum BpfCommand {
    MAP_CREATE(0), MAP_LOOKUP_ELEM(1), MAP_UPDATE_ELEM(2), PROG_LOAD(5), OBJ_PIN(6), OBJ_GET(7), PROG_RUN(10),
    PROG_GET_NEXT_ID(11), MAP_GET_NEXT_ID(12), PROG_GET_FD_BY_ID(13), MAP_GET_FD_BY_ID(14), OBJ_GET_INFO_BY_FD(15),
    RAW_TRACEPOINT_OPEN(17), MAP_FREEZE(22), LINK_CREATE(28), LINK_UPDATE(29), LINK_GET_FD_BY_ID(30),
    LINK_GET_NEXT_ID(31), ENABLE_STATS(32), LINK_DETACH(34);

    private final int code;

    BpfCommand(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The C name, e.g. {@code BPF_PROG_LOAD}, as errors and the kernel documentation spell it. */
    public String cName() {
        return "BPF_" + name();
    }
}
