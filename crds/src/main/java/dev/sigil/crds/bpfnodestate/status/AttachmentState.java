package dev.sigil.crds.bpfnodestate.status;

/** Where one target of a program stands: attached, failed to attach, or detached since it was attached. */
public enum AttachmentState {
    Attached,
    Failed,
    Detached
}
