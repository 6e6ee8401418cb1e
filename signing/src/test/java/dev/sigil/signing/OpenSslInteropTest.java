package dev.sigil.signing;

import static dev.sigil.signing.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.signing.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sigil's CMS signatures against the real OpenSSL command line, both ways. */
class OpenSslInteropTest {
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

    @TempDir
    static Path dir;
    private static SignedBundle bundle;

    @BeforeAll
    static void keysAndLoader() throws Exception {
        for (String kind : List.of("rsa", "ec")) {
            KeySpec spec = kind.equals("rsa") ? KeySpec.rsa(2048) : KeySpec.ec("P-256");
            SigningKeys.write(SigningKeys.generate(spec, "CN=interop " + kind, Duration.ofDays(1), Optional.empty()),
                    dir.resolve(kind));
        }
        bundle = BundleSigner.sign(CounterSkeleton.parsed(), key("rsa"));
        Files.write(dir.resolve("loader.bin"), bundle.loader());
    }

    private static SigningKey key(String kind) throws Exception {
        return SigningKey.load(dir.resolve(kind).resolve("key.pem"), dir.resolve(kind).resolve("cert.pem"));
    }

    private static byte[] opensslSign(String kind, String digest) throws Exception {
        Path out = dir.resolve(kind + "-" + digest + "-openssl.der");
        Shell.run(dir, "openssl", "cms", "-sign", "-binary", "-noattr", "-nocerts", "-keyid", "-md", digest,
                "-outform", "DER", "-in", "loader.bin", "-signer", kind + "/cert.pem", "-inkey", kind + "/key.pem",
                "-out", out.toString());
        return Files.readAllBytes(out);
    }

    /** The signature carries no certificates, so OpenSSL is handed the signer's with -certfile as well as -CAfile. */
    private static Shell.Result opensslVerify(String kind, byte[] signature, String content) throws Exception {
        Path sig = Files.write(dir.resolve(kind + "-sigil.der"), signature);
        return Shell.attempt(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", sig.toString(),
                "-content", content, "-CAfile", kind + "/cert.pem", "-certfile", kind + "/cert.pem", "-purpose", "any",
                "-out", "/dev/null");
    }

    private static BundleVerifier verifierTrusting(String kind) throws Exception {
        return new BundleVerifier(TrustBundle.load(dir.resolve(kind).resolve("cert.pem")), Clock.systemUTC());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void opensslAcceptsSigilSignatures(String kind) throws Exception {
        Shell.Result result = opensslVerify(kind, CmsSigner.sign(bundle.loader(), key(kind)), "loader.bin");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("Verification successful");
    }

    @Test
    void opensslRejectsASigilSignatureOverOtherContent() throws Exception {
        byte[] tampered = bundle.loader().clone();
        tampered[tampered.length - 1] ^= 1;
        Files.write(dir.resolve("tampered.bin"), tampered);

        Shell.Result result = opensslVerify("rsa", CmsSigner.sign(bundle.loader(), key("rsa")), "tampered.bin");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("Verification failure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void sigilAcceptsOpensslSignatures(String kind) throws Exception {
        SignedBundle signedByOpenssl = new SignedBundle(bundle.protocol(), bundle.loader(), bundle.metadata(), bundle.hash(),
                opensslSign(kind, "sha256"));

        VerifiedBundle verified = verifierTrusting(kind).verify(signedByOpenssl);

        assertThat(verified.signer().subject()).isEqualTo("CN=interop " + kind);
    }

    @Test
    void rsaSignatureIsByteIdenticalToOpenssl() throws Exception {
        assertThat(CmsSigner.sign(bundle.loader(), key("rsa"))).isEqualTo(opensslSign("rsa", "sha256"));
    }

    @Test
    void rsaSignerInfoNamesRsaEncryptionAsTheKernelRequires() throws Exception {
        SignerInformation signer = soleSigner(CmsSigner.sign(bundle.loader(), key("rsa")));

        assertThat(signer.getEncryptionAlgOID()).isEqualTo(RSA_ENCRYPTION);
        assertThat(signer.getDigestAlgOID()).isEqualTo("2.16.840.1.101.3.4.2.1");
    }

    @Test
    void signatureHasTheKernelsFormNoAttributesNoCertificatesDetachedKeyId() throws Exception {
        byte[] der = CmsSigner.sign(bundle.loader(), key("ec"));
        CMSSignedData signed = new CMSSignedData(der);
        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        SignedData structure = SignedData.getInstance(signed.toASN1Structure().getContent());

        assertThat(signer.getSignedAttributes()).isNull();
        assertThat(signer.getUnsignedAttributes()).isNull();
        assertThat(structure.getCertificates()).isNull();
        assertThat(structure.getCRLs()).isNull();
        assertThat(structure.getEncapContentInfo().getContent()).as("detached").isNull();
        assertThat(signer.getSID().getSubjectKeyIdentifier()).isEqualTo(Certificates.subjectKeyId(key("ec").certificate()).orElseThrow());
        assertThat(signer.getEncryptionAlgOID()).isEqualTo(ECDSA_WITH_SHA256);
        assertThat(signed.toASN1Structure().getEncoded(ASN1Encoding.DER)).as("DER").isEqualTo(der);
    }

    @Test
    void ecdsaSignatureHasTheSameStructureAsOpenssl() throws Exception {
        SignerInformation ours = soleSigner(CmsSigner.sign(bundle.loader(), key("ec")));
        SignerInformation theirs = soleSigner(opensslSign("ec", "sha256"));

        assertThat(ours.getEncryptionAlgOID()).isEqualTo(theirs.getEncryptionAlgOID());
        assertThat(ours.getDigestAlgorithmID()).isEqualTo(theirs.getDigestAlgorithmID());
        assertThat(ours.getEncryptionAlgParams()).isEqualTo(theirs.getEncryptionAlgParams());
        assertThat(ours.getVersion()).isEqualTo(theirs.getVersion());
    }

    @Test
    void rejectsAnOpensslSignatureWithAnotherDigest() throws Exception {
        SignedBundle sha384 = new SignedBundle(bundle.protocol(), bundle.loader(), bundle.metadata(), bundle.hash(),
                opensslSign("rsa", "sha384"));

        assertRefused(() -> verifierTrusting("rsa").verify(sha384), ReasonCode.MalformedSignature)
                .hasMessage("SignedData digestAlgorithms is 2.16.840.1.101.3.4.2.2, not SHA-256 (2.16.840.1.101.3.4.2.1)");
    }

    private static SignerInformation soleSigner(byte[] der) throws Exception {
        return new CMSSignedData(der).getSignerInfos().getSigners().iterator().next();
    }
}
