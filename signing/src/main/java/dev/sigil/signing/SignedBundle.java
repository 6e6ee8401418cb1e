package dev.sigil.signing;

import java.util.Base64;
import java.util.Objects;

/**
 * The signed pieces of one BPF program, as a {@code SignedBpfProgram} carries them.
 *
 * @param protocol  signed-loader protocol, e.g. {@link LoaderHashV1#NAME}
 * @param loader    signed loader instructions {@code L = P(H) || L0}
 * @param metadata  metadata blob {@code M}
 * @param hash      {@code sha256:<hex>} of the metadata, as the resource states it
 * @param signature detached CMS SignedData (DER) over {@code loader}
 */
public record SignedBundle(String protocol, byte[] loader, byte[] metadata, String hash, byte[] signature) {
    /** The SignedBpfProgram schema's maxima (crds/signedbpfprograms.sigil.dev-v1.yml), in base64 characters. */
    public static final int MAX_LOADER_BASE64 = 262_144;
    public static final int MAX_METADATA_BASE64 = 1_048_576;
    public static final int MAX_SIGNATURE_BASE64 = 16_384;

    public SignedBundle {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(signature, "signature");
    }

    /**
     * Decodes the resource's base64 fields strictly; a bad field is reported with its own reason code. Lengths are
     * checked against the schema's maxima before anything is decoded, so an oversized field costs nothing.
     */
    public static SignedBundle fromBase64(String protocol, String loaderB64, String metadataB64, String hash,
            String signatureB64) throws VerificationException {
        if (protocol == null || protocol.isBlank()) {
            throw new VerificationException(ReasonCode.UnsupportedProtocol, "no protocol given");
        }
        requireLength("loader", loaderB64, MAX_LOADER_BASE64, ReasonCode.MalformedLoader);
        requireLength("metadata", metadataB64, MAX_METADATA_BASE64, ReasonCode.MalformedMetadata);
        requireLength("signature", signatureB64, MAX_SIGNATURE_BASE64, ReasonCode.MalformedSignature);
        byte[] loader = decode("loader", loaderB64, ReasonCode.MalformedLoader);
        byte[] metadata = decode("metadata", metadataB64, ReasonCode.MalformedMetadata);
        byte[] signature = decode("signature", signatureB64, ReasonCode.MalformedSignature);
        if (hash == null || hash.isBlank()) {
            throw new VerificationException(ReasonCode.HashMismatch, "hash is missing");
        }
        return new SignedBundle(protocol, loader, metadata, hash, signature);
    }

    /** {@code sha256:<hex>} of the signed loader: what loader revocation lists name. */
    public String loaderHash() {
        return Sha256.tagged(loader);
    }

    /** SHA-256 of the metadata blob as it is (not as {@link #hash()} claims). */
    public byte[] metadataSha256() {
        return Sha256.digest(metadata);
    }

    public String loaderBase64() {
        return Base64.getEncoder().encodeToString(loader);
    }

    public String metadataBase64() {
        return Base64.getEncoder().encodeToString(metadata);
    }

    public String signatureBase64() {
        return Base64.getEncoder().encodeToString(signature);
    }

    private static void requireLength(String field, String base64, int maxLength, ReasonCode reason)
            throws VerificationException {
        if (base64 == null || base64.isEmpty()) {
            throw new VerificationException(reason, field + " is missing");
        }
        if (base64.length() > maxLength) {
            throw new VerificationException(reason, field + " is " + base64.length() + " base64 characters; a "
                    + "SignedBpfProgram holds at most " + maxLength);
        }
    }

    private static byte[] decode(String field, String base64, ReasonCode reason) throws VerificationException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new VerificationException(reason, field + " is not valid base64: " + Messages.oneLine(e), e);
        }
        if (bytes.length == 0) {
            throw new VerificationException(reason, field + " is empty");
        }
        return bytes;
    }
}
