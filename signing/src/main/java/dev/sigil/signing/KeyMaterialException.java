package dev.sigil.signing;

/** A key, certificate, trust bundle or revocation list Sigil cannot use; the message names the file and the problem. */
public final class KeyMaterialException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyMaterialException(String message) {
        super(message);
    }

    public KeyMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
