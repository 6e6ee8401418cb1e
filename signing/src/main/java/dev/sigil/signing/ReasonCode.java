package dev.sigil.signing;

/** Why a signed bundle was refused. Stable names: status conditions and node states carry them. */
public enum ReasonCode {
    MalformedLoader,
    MalformedMetadata,
    MalformedSignature,
    HashMismatch,
    PrologueMismatch,
    SignatureInvalid,
    UntrustedSigner,
    CertificateExpired,
    CertificateNotYetValid,
    KeyUsageNotAllowed,
    Revoked,
    UnsupportedProtocol
}
