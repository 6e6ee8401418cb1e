package dev.sigil.bpf.sys;

/** The kernel object kinds that have ids: each with its GET_NEXT_ID and GET_FD_BY_ID commands. */
public enum ObjectKind {
    PROGRAM(BpfCommand.PROG_GET_NEXT_ID, BpfCommand.PROG_GET_FD_BY_ID, BpfAttrFields.GetId.PROG_ID),
    MAP(BpfCommand.MAP_GET_NEXT_ID, BpfCommand.MAP_GET_FD_BY_ID, BpfAttrFields.GetId.MAP_ID),
    LINK(BpfCommand.LINK_GET_NEXT_ID, BpfCommand.LINK_GET_FD_BY_ID, BpfAttrFields.GetId.LINK_ID);

    private final BpfCommand nextId;
    private final BpfCommand fdById;
    private final AttrField.U32 idField;

    ObjectKind(BpfCommand nextId, BpfCommand fdById, AttrField.U32 idField) {
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

    AttrField.U32 idField() {
        return idField;
    }
}
