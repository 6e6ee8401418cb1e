package dev.sigil.bpf.sys;

/** The kernel object kinds that have ids: each with its GET_NEXT_ID and GET_FD_BY_ID commands. */
public enum ObjectKind {
    PROGRAM(BpfCommand.PROG_GET_NEXT_ID, BpfCommand.PROG_GET_FD_BY_ID, "prog_id"),
    MAP(BpfCommand.MAP_GET_NEXT_ID, BpfCommand.MAP_GET_FD_BY_ID, "map_id"),
    LINK(BpfCommand.LINK_GET_NEXT_ID, BpfCommand.LINK_GET_FD_BY_ID, "link_id");

    private final BpfCommand nextId;
    private final BpfCommand fdById;
    private final String idField;

    ObjectKind(BpfCommand nextId, BpfCommand fdById, String idField) {
        this.nextId = nextId;
        this.fdById = fdById;
        this.idField = idField;
    }

    BpfCommand nextIdCommand() {
        return nextId;
    }

    BpfCommand fdByIdCommand() {
        return fdById;
    }

    String idField() {
        return idField;
    }
}
