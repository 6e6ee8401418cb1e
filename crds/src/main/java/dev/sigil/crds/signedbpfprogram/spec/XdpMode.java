package dev.sigil.crds.signedbpfprogram.spec;

public enum XdpMode {
    Generic,
    Driver
}
