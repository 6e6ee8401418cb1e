package dev.sigil.crds.signedbpfprogram.spec;

public enum TcxDirection {
    Ingress,
    Egress
}
