package dev.sigil.crds.bpfnodestate.status;

/** Where one SignedBpfProgram stands on one node. */
public enum ProgramPhase {
    Verifying,
    Loaded,
    Attached,
    Failed,
    Unloading
}
