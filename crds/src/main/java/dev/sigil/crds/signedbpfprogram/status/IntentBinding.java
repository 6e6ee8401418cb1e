package dev.sigil.crds.signedbpfprogram.status;

/** Whether a verified program's attach points are bound by a signed intent. */
public enum IntentBinding {
    Bound,
    Unbound
}
