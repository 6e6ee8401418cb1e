package dev.sigil.signing;

/** Signs a light skeleton under {@link LoaderHashV1}: prologue, hash and CMS signature, end to end. */
public final class BundleSigner {
    private BundleSigner() {
    }

    /**
     * {@code L = P(SHA-256(M)) || L0} and a CMS signature over {@code L}. A skeleton already signed by
     * {@code bpftool -S} is re-signed: its own signature is dropped and its loader becomes {@code L0}.
     */
    public static SignedBundle sign(LightSkeleton skeleton, SigningKey key) {
        byte[] metadata = skeleton.metadata();
        byte[] loader = LoaderHashV1.signedLoader(skeleton.loaderInstructions(), metadata);
        return new SignedBundle(LoaderHashV1.NAME, loader, metadata, Sha256.tagged(metadata),
                CmsSigner.sign(loader, key));
    }
}
