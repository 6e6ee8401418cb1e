package dev.sigil.signing;

/**
 * A bundle that passed every check, with who signed it.
 *
 * @param loaderHash {@code sha256:<hex>} of the signed loader
 */
public record VerifiedBundle(SignedBundle bundle, SignerIdentity signer, String loaderHash) {
}
