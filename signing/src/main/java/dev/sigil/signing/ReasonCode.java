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
    UnsupportedProtocol,
    /** The resource carries no signed intent, and the trust bundle does not admit unbound programs. */
    IntentMissing,
    /** The resource differs from what its signed intent binds; the message names the field. */
    IntentMismatch,
    /** The intent signature is malformed, not by the loader's signer, or does not verify over the intent. */
    IntentSignatureInvalid,
    /** The signed intent cannot be read: unknown format, a field out of its grammar (e.g. a bad glob). */
    MalformedIntent,
    /** The resource's programs are not the ones the signed loader loads, in name or order. */
    ProgramMismatch,
    /** An attach point the kernel would refuse for the program the signed metadata describes (type or BTF target). */
    AttachTypeMismatch
}
